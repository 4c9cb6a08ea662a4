// Which bundles the AI panel offers: --model first, then the installed ones; the manifestation model beside it;
// unusable bundles are reported, never loaded.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/common/test_paths.h"
#include "tests/ui/ai_dev_bundle.h"
#include "ui/ai/model_catalog.h"

namespace fs = std::filesystem;
using lunglens::ui::ai::findModels;

TEST(ModelCatalog, ExplicitBundleFirstThenInstalledWithTheManifestationBesideIt) {
  const fs::path root = lunglens::test::scratchDir("ai-catalog");
  const auto given = lunglens::test::writeDevBundles(root / "given");
  const auto installed = lunglens::test::writeDevBundles(root / "installed");
  fs::create_directories(root / "installed" / "broken");
  std::ofstream(root / "installed" / "broken" / "manifest.json") << "{ not json";

  const auto c = findModels(given.diagnosis, {}, {root / "installed"});
  EXPECT_TRUE(c.error.empty()) << c.error;
  ASSERT_EQ(c.diagnosis.size(), 2u);  // the broken bundle is not offered
  EXPECT_EQ(c.diagnosis[0].dir, given.diagnosis);
  EXPECT_EQ(c.diagnosis[0].title, "dev-diagnosis 0.1.0-dev");
  EXPECT_EQ(c.diagnosis[1].dir, installed.diagnosis);
  EXPECT_EQ(c.manifestation, given.manifestation);  // beside --model wins over installed

  const auto none = findModels({}, {}, {root / "nowhere"});
  EXPECT_TRUE(none.diagnosis.empty());
  EXPECT_TRUE(none.manifestation.empty());
  EXPECT_TRUE(none.error.empty());

  const auto installedOnly = findModels({}, {}, {root / "installed"});
  ASSERT_EQ(installedOnly.diagnosis.size(), 1u);
  EXPECT_EQ(installedOnly.manifestation, installed.manifestation);
}

TEST(ModelCatalog, AnUnusableExplicitBundleIsReported) {
  const fs::path root = lunglens::test::scratchDir("ai-catalog-bad");
  const auto dev = lunglens::test::writeDevBundles(root);
  const auto missing = findModels(root / "missing", {}, {});
  EXPECT_NE(missing.error.find("missing"), std::string::npos) << missing.error;
  const auto wrongTask = findModels(dev.manifestation, {}, {});
  EXPECT_NE(wrongTask.error.find("not a diagnosis model"), std::string::npos) << wrongTask.error;
  EXPECT_TRUE(wrongTask.diagnosis.empty());
}
