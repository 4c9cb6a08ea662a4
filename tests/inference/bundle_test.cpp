// Loading bundles: a good one loads and scores; each broken part (checksum, missing file, not TorchScript, output
// shapes, class count, feature map not feeding the logits) is a clear InputError naming the bundle.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/inference/bundle.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::core::inference;

namespace {

std::string loadError(const fs::path& dir) {
  try {
    Model::load(dir);
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

void expectLoadError(const fs::path& dir, const std::string& needle) {
  const std::string error = loadError(dir);
  ASSERT_FALSE(error.empty()) << "bundle loaded although broken (" << needle << ")";
  EXPECT_NE(error.find(dir.string()), std::string::npos) << error;
  EXPECT_NE(error.find(needle), std::string::npos) << error;
}

}  // namespace

TEST(Bundle, GoodBundleLoadsAndScores) {
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "good", {});
  const auto model = Model::load(dir);
  EXPECT_EQ(model->manifest().name, "tiny-diagnosis");
  ASSERT_EQ(model->valuesPerImage(), 32u * 32u);
  std::vector<float> images(3 * model->valuesPerImage());
  for (std::size_t i = 0; i < images.size(); ++i) images[i] = std::sin(0.01f * static_cast<float>(i));
  const auto probs = model->predict(images.data(), 3);
  ASSERT_EQ(probs.size(), 9u);
  for (int n = 0; n < 3; ++n) EXPECT_NEAR(probs[n * 3] + probs[n * 3 + 1] + probs[n * 3 + 2], 1.0, 1e-5);
  // Batched scoring equals one-by-one scoring.
  const auto second = model->predict(images.data() + model->valuesPerImage(), 1);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(second[k], probs[3 + k], 1e-5);
}

TEST(Bundle, OptimisedScoringPathAgreesWithPlainModule) {
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "opt", {});
  const auto fast = Model::load(dir, {true, true});
  const auto plain = Model::load(dir, {false, false});
  EXPECT_EQ(fast->executionPaths(), "scoring: frozen+optimized (channels-last); Grad-CAM: frozen");
  EXPECT_EQ(plain->executionPaths(), "scoring: as saved; Grad-CAM: as saved");
  std::vector<float> images(4 * fast->valuesPerImage());
  for (std::size_t i = 0; i < images.size(); ++i) images[i] = std::cos(0.037f * static_cast<float>(i));
  const auto a = fast->predict(images.data(), 4), b = plain->predict(images.data(), 4);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-4);
}

TEST(Bundle, ChecksumMismatchIsRejected) {
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "sum", {});
  std::ofstream(dir / "model.pt", std::ios::app | std::ios::binary) << "x";
  expectLoadError(dir, "checksum mismatch");
  expectLoadError(dir, "model_sha256");
}

TEST(Bundle, MissingFilesAreRejected) {
  const fs::path root = test::scratchDir("bundle");
  expectLoadError(root / "nowhere", "bundle folder not found");
  const fs::path no_model = test::writeTinyBundle(root / "no-model", {});
  fs::remove(no_model / "model.pt");
  expectLoadError(no_model, "model.pt is missing");
  const fs::path no_manifest = test::writeTinyBundle(root / "no-manifest", {});
  fs::remove(no_manifest / "manifest.json");
  expectLoadError(no_manifest, "manifest.json is missing");
}

TEST(Bundle, BadManifestValueNamesTheField) {
  auto m = test::tinyManifest({});
  m.input.std = {-1.0};
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "std", {}, m);
  expectLoadError(dir, "field 'input.std[0]'");
}

TEST(Bundle, FileThatIsNotTorchScriptIsRejected) {
  const fs::path dir = test::scratchDir("bundle") / "garbage";
  fs::create_directories(dir);
  std::ofstream(dir / "model.pt", std::ios::binary) << "this is not a zip archive";
  test::writeManifestFor(dir, test::tinyManifest({}));  // checksum matches: the load itself must fail
  expectLoadError(dir, "not a loadable TorchScript module");
}

TEST(Bundle, WrongClassCountIsRejected) {
  test::TinySpec spec;
  spec.variant = test::TinyVariant::WrongClassCount;
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "k", spec);
  expectLoadError(dir, "has shape [2, 2], expected [2, 3]");
}

TEST(Bundle, OutputThatIsNotATupleIsRejected) {
  test::TinySpec spec;
  spec.variant = test::TinyVariant::NotTuple;
  expectLoadError(test::writeTinyBundle(test::scratchDir("bundle") / "t", spec), "must return a tuple");
}

TEST(Bundle, FeatureMapOfWrongRankIsRejected) {
  test::TinySpec spec;
  spec.variant = test::TinyVariant::FlatFeatureMap;
  expectLoadError(test::writeTinyBundle(test::scratchDir("bundle") / "f", spec), "expected [2, F, h, w]");
}

TEST(Bundle, LogitsNotComputedFromFeatureMapAreRejected) {
  test::TinySpec spec;
  spec.variant = test::TinyVariant::LogitsIgnoreFeatures;
  expectLoadError(test::writeTinyBundle(test::scratchDir("bundle") / "g", spec), "do not depend on the output 1");
}

TEST(Bundle, InputChannelsDisagreeingWithModelFailTheDryForward) {
  auto m = test::tinyManifest({});
  m.input.channels = {{1500, -600, ""}, {350, 40, ""}, {1500, -600, ""}};
  m.input.mean = {0, 0, 0};
  m.input.std = {1, 1, 1};
  const fs::path dir = test::writeTinyBundle(test::scratchDir("bundle") / "c", {}, m);
  expectLoadError(dir, "dry forward on a [2, 3, 32, 32] input (manifest field 'input') failed");
}

TEST(Bundle, OutputIndicesBeyondTheTupleAreRejected) {
  auto m = test::tinyManifest({});
  m.feature_map_output = 2;
  expectLoadError(test::writeTinyBundle(test::scratchDir("bundle") / "o", {}, m), "manifest field 'outputs'");
}

TEST(BundleSearch, FindsFirstBundleOfTheTaskAndSkipsBrokenOnes) {
  const fs::path root = test::scratchDir("search");
  test::TinySpec manifestation;
  manifestation.task = Task::Manifestation;
  test::writeTinyBundle(root / "a-manifestation", manifestation);
  fs::create_directories(root / "b-broken");
  std::ofstream(root / "b-broken" / "manifest.json") << "{";
  test::writeTinyBundle(root / "c-diagnosis", {});
  test::writeTinyBundle(root / "d-diagnosis", {});

  const auto all = listBundles({root / "missing", root});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_FALSE(all[1].manifest.has_value());
  EXPECT_NE(all[1].error.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(findBundle(Task::Diagnosis, {root}), root / "c-diagnosis");
  EXPECT_EQ(findBundle(Task::Manifestation, {root}), root / "a-manifestation");
  try {
    findBundle(Task::Diagnosis, {root / "missing"});
    FAIL() << "found a bundle in an empty search path";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no diagnosis model bundle found"), std::string::npos);
  }
}

TEST(BundleSearch, SearchPathIsBesideTheExecutableThenInstalledThenTheUserFolder) {
  const auto roots = modelSearchPath();
  ASSERT_GE(roots.size(), 2u);
  EXPECT_EQ(roots[0].filename(), "models");
  EXPECT_EQ(roots[0].parent_path(), core::executableDir());
  EXPECT_EQ(roots[1], core::executableDir().parent_path() / "share" / "lunglens" / "models");
}
