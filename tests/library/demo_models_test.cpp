// With the trained demo models (models/ -> build/bin/models): importing a GGO phantom and a normal one and querying
// the AI's manifestation "ggo" returns slices of the GGO phantom and none of the normal one. Skipped (and said so)
// until the demo bundles are installed beside the executables.
#include <gtest/gtest.h>

#include <optional>

#include "core/inference/bundle.h"
#include "core/inference/model.h"
#include "core/library/importer.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
namespace inf = lunglens::core::inference;
using namespace lunglens::core::library;

namespace {

std::optional<fs::path> demoBundle(inf::Task task) {
  for (const auto& entry : inf::listBundles({lunglens::test::binaryDir() / "bin" / "models"}))
    if (entry.manifest && entry.manifest->task == task) return entry.dir;
  return std::nullopt;
}

}  // namespace

TEST(LibraryWithDemoModels, QueryingGgoFindsTheGgoPhantomAndNotTheNormalOne) {
  const auto diagnosis = demoBundle(inf::Task::Diagnosis);
  const auto manifestation = demoBundle(inf::Task::Manifestation);
  if (!diagnosis || !manifestation) GTEST_SKIP() << "the demo model bundles are not installed (build/bin/models)";
  const fs::path root = lunglens::test::scratchDir("library-demo-models");
  const auto ggo = lunglens::test::writeSmallPhantom(root / "ggo", 71, ph::Diagnosis::Covid, {ph::Finding::Ggo}, 256, 24);
  const auto normal = lunglens::test::writeSmallPhantom(root / "normal", 72, ph::Diagnosis::Normal, {}, 256, 24);
  inf::configureInferenceThreads(2);
  CaseLibrary library(root / "library.sqlite");
  SeriesClassifier classifier(inf::Model::load(*diagnosis), inf::Model::load(*manifestation), 2);
  ASSERT_EQ(importFolders(library, classifier, {root}).imported, 2);
  QueryFilter f;
  f.manifestation = "ggo";
  f.source = QueryFilter::Source::Ai;
  const auto rows = library.query(f);
  int from_ggo = 0;
  for (const auto& r : rows) {
    EXPECT_NE(r.series_uid, normal.series.series_uid) << "slice " << r.slice << " of the normal phantom";
    from_ggo += r.series_uid == ggo.series.series_uid ? 1 : 0;
  }
  EXPECT_GT(from_ggo, 0) << "no GGO slice found in the GGO phantom";
}
