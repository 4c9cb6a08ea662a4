// lunglens-cli classify end to end on a real CT series (LUNG-PET-CT-Dx, 30 slices of 512x512) with a tiny model
// bundle built here: per-slice output in index order, the verdict and its numbers, the synthetic-data disclaimer,
// one native-resolution heatmap PNG per slice, and clear failures for bad input.
#include <gtest/gtest.h>

#include <QImage>

#include <nlohmann/json.hpp>

#include "core/inference/bundle.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
using namespace lunglens;
using json = nlohmann::json;

namespace {

const std::string kSeries = "1.3.6.1.4.1.14519.5.2.1.6655.2359.241981550240354690198744362919";

fs::path seriesDir() { return test::lungPetCtDx() / "Lung_Dx-A0002"; }

fs::path tinyBundle(const std::string& name, core::inference::Task task) {
  test::TinySpec spec;
  spec.task = task;
  spec.variant = test::TinyVariant::Brightness;
  spec.size = 64;
  return test::writeTinyBundle(test::scratchDir("classify-" + name) / "bundle", spec);
}

}  // namespace

TEST(ClassifyCli, ScoresEverySliceWithVerdictDisclaimerAndHeatmaps) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path diagnosis = tinyBundle("diagnosis", core::inference::Task::Diagnosis);
  const fs::path manifestation = tinyBundle("manifestation", core::inference::Task::Manifestation);
  const fs::path heatmaps = test::scratchDir("classify-heatmaps");
  const auto r = test::runCli({"classify", seriesDir().string(), "--series", kSeries, "--model", diagnosis.string(),
                               "--manifestation-model", manifestation.string(), "--heatmaps", heatmaps.string(),
                               "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("scored 30/30"), std::string::npos) << r.err;
  const json out = json::parse(r.out);
  EXPECT_EQ(out["series_uid"], kSeries);
  EXPECT_EQ(out["disclaimer"], "Reading aid — not for diagnostic use. Model trained on synthetic phantoms.");
  EXPECT_EQ(out["diagnosis_model"]["name"], "tiny-diagnosis");
  EXPECT_EQ(out["diagnosis_model"]["provenance"]["synthetic"], true);
  EXPECT_EQ(out["manifestation_model"]["name"], "tiny-manifestation");
  ASSERT_EQ(out["slices"].size(), 30u);
  double previous_position = -1e9;
  int lung_slices = 0, lung_with_manifestation = 0;
  for (std::size_t i = 0; i < 30; ++i) {
    const json& s = out["slices"][i];
    EXPECT_EQ(s["index"], i);
    EXPECT_GT(s["position_mm"].get<double>(), previous_position);
    previous_position = s["position_mm"].get<double>();
    const double sum = s["diagnosis"]["covid"].get<double>() + s["diagnosis"]["other_pneumonia"].get<double>() +
                       s["diagnosis"]["normal"].get<double>();
    EXPECT_NEAR(sum, 1.0, 1e-5);
    // The brightness model: manifestation exactly where COVID passed the 0.5 gate.
    const bool gated = s["diagnosis"]["covid"].get<double>() >= 0.5;
    EXPECT_EQ(!s["manifestation"].is_null(), gated) << "slice " << i;
    // The verdict counts the slices with lung on them (the lung analysis), as the viewer does.
    const bool lung = s["lung"].is_null() || s["lung"].get<bool>();
    lung_slices += lung ? 1 : 0;
    lung_with_manifestation += lung && gated ? 1 : 0;
    const QImage png(QString::fromStdString((heatmaps / ("slice_" + std::to_string(i) + ".png")).string()));
    ASSERT_FALSE(png.isNull()) << "heatmap missing for slice " << i;
    EXPECT_EQ(png.width(), 512);
    EXPECT_EQ(png.height(), 512);
    EXPECT_EQ(png.depth(), 8);
  }
  const json& study = out["study"];
  EXPECT_EQ(study["slices"], lung_slices);
  EXPECT_EQ(study["slices_without_lung"], 30 - lung_slices);
  EXPECT_GE(lung_slices, 25) << "a chest CT series: nearly every slice shows lung";
  EXPECT_EQ(study["top_k"], 3);
  EXPECT_TRUE(study["verdict"] == "covid" || study["verdict"] == "normal" || study["verdict"] == "other_pneumonia");
  EXPECT_NEAR(study["scores"]["covid"]["fraction_over_threshold"].get<double>(),
              static_cast<double>(lung_with_manifestation) / lung_slices, 1e-9);
}

TEST(ClassifyCli, CsvHasOneRowPerSliceAndNullManifestationWithoutAModel) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path diagnosis = tinyBundle("csv", core::inference::Task::Diagnosis);
  const auto r = test::runCli({"classify", seriesDir().string(), "--series", kSeries, "--model", diagnosis.string(),
                               "--manifestation-model", "", "--format", "csv"});
  // An empty --manifestation-model is a bundle path that does not exist: bad input.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto ok = test::runCli({"classify", seriesDir().string(), "--series", kSeries, "--model", diagnosis.string(),
                                "--format", "csv"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  std::istringstream lines(ok.out);
  std::string line;
  int rows = 0;
  bool header = false;
  while (std::getline(lines, line)) {
    if (line.rfind("#", 0) == 0) continue;
    if (!header) {
      EXPECT_EQ(line, "index,image_number,position_mm,covid,other_pneumonia,normal,ggo,consolidation,fibrotic_streaks,ood_score,out_of_distribution");
      header = true;
      continue;
    }
    EXPECT_EQ(line.rfind(std::to_string(rows) + ",", 0), 0u) << line;
    EXPECT_NE(line.find(",null,null,null"), std::string::npos) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 30);
  EXPECT_NE(ok.out.find("# Reading aid — not for diagnostic use. Model trained on synthetic phantoms."), std::string::npos);
  EXPECT_NE(ok.out.find("# study_verdict: "), std::string::npos);
}

TEST(ClassifyCli, BadInputFailsClearly) {
  const fs::path diagnosis = tinyBundle("bad", core::inference::Task::Diagnosis);
  auto r = test::runCli({"classify", "/nonexistent/folder", "--model", diagnosis.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/folder"), std::string::npos) << r.err;

  r = test::runCli({"classify", seriesDir().string(), "--model", (diagnosis.parent_path() / "nope").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model bundle folder not found"), std::string::npos) << r.err;

  r = test::runCli({"classify", seriesDir().string(), "--model", diagnosis.string(), "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  r = test::runCli({"classify"});
  EXPECT_EQ(r.exit_code, 2);

  if (fs::exists(seriesDir())) {
    r = test::runCli({"classify", seriesDir().string(), "--model", diagnosis.string(), "--series", "1.2.3"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no series with UID 1.2.3"), std::string::npos) << r.err;
  }
  // Without --model: the first diagnosis bundle installed beside the executable or in the user folder, or an error
  // saying where it looked.
  bool installed = false;
  for (const auto& root : {test::binaryDir() / "bin" / "models", test::binaryDir() / "test-userdata" / "models"})
    for (const auto& e : core::inference::listBundles({root}))
      installed = installed || (e.manifest && e.manifest->task == core::inference::Task::Diagnosis);
  if (!installed && fs::exists(seriesDir())) {
    r = test::runCli({"classify", seriesDir().string(), "--series", kSeries});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no diagnosis model bundle found"), std::string::npos) << r.err;
  }
}
