// `dataset import` then `train` end to end through lunglens-cli on each format's fixture (tiny: 32 px, 1 epoch,
// random init): the bundle is written, reads its data from the preprocessed cache, and its report names the dataset
// and its licence. Bad input exits 1 naming the file and line.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/common/test_paths.h"
#include "tests/datasets/fixtures.h"

namespace lunglens::test::datasets {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string format;
  fs::path (*write)(const fs::path&);
  std::string extra;  // import options
  std::string licence_fragment;
};

class TrainOnImport : public ::testing::TestWithParam<Case> {};

TEST_P(TrainOnImport, WritesABundleWhoseReportNamesTheDatasetAndLicence) {
  const Case& c = GetParam();
  const fs::path dir = scratchDir("train-" + c.format);
  const fs::path src = c.write(dir / "src");
  const fs::path dataset = dir / "dataset", bundle = dir / "bundle";
  ASSERT_EQ(cli("dataset import --format " + c.format + " '" + src.string() + "' --out '" + dataset.string() +
                    "' --name fixture-" + c.format + " --threads 1 " + c.extra,
                dir / "import.log"),
            0)
      << readText(dir / "import.log");
  ASSERT_EQ(cli("train --data '" + dataset.string() + "' --task diagnosis --init random --input-size 32 --epochs 1 "
                "--warmup-epochs 0 --batch 8 --threads 1 --bootstrap 10 --patience 0 --seed 3 --out '" +
                    bundle.string() + "'",
                dir / "train.log"),
            0)
      << readText(dir / "train.log");
  EXPECT_TRUE(fs::is_regular_file(bundle / "model.pt"));
  EXPECT_TRUE(fs::is_regular_file(bundle / "split.json"));
  const std::string report = readText(bundle / "report.md");
  EXPECT_NE(report.find("Data: dataset fixture-" + c.format + " (imported from the " + c.format + " layout)"),
            std::string::npos) << report;
  EXPECT_NE(report.find("licence: "), std::string::npos);
  EXPECT_NE(report.find(c.licence_fragment), std::string::npos) << report;
  std::ifstream training_in(bundle / "training.json");
  const auto training = nlohmann::json::parse(training_in);
  EXPECT_EQ(training.at("dataset").at("name"), "fixture-" + c.format);
  EXPECT_NE(training.at("dataset").at("licence").get<std::string>().find(c.licence_fragment), std::string::npos);
  std::ifstream manifest_in(bundle / "manifest.json");
  const auto manifest = nlohmann::json::parse(manifest_in);
  EXPECT_NE(manifest.dump().find("fixture-" + c.format), std::string::npos);  // provenance names the data
  // The slices came from the cache, decoded once.
  int caches = 0;
  for (const auto& e : fs::directory_iterator(dataset / "cache")) caches += fs::is_regular_file(e.path() / "images.u8");
  EXPECT_EQ(caches, 1);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, TrainOnImport,
    ::testing::Values(Case{"dicom-labels", &writeDicomLabels, "--licence 'CC BY 4.0 (fixture)'", "CC BY 4.0 (fixture)"},
                      Case{"covid-ct-md", &writeCovidCtMd, "", "CC BY 4.0"},
                      Case{"cc-ccii", &writeCcCcii, "", "non-commercial"},
                      Case{"nifti-masks", &writeNiftiMasks, "--mask-values ggo=1,consolidation=2,fibrotic_streaks=3",
                           "CC BY-NC-SA 4.0"},
                      Case{"images-csv", &writeImagesCsv, "--licence 'phantoms, public domain'", "public domain"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.format;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(DatasetCli, EvaluateReadsTheImportedDatasetAndBadImportsExitOne) {
  const fs::path dir = scratchDir("cli");
  const fs::path src = writeImagesCsv(dir / "src");
  ASSERT_EQ(cli("dataset import --format images-csv '" + src.string() + "' --out '" + (dir / "ds").string() + "'",
                dir / "import.log"), 0) << readText(dir / "import.log");
  EXPECT_EQ(cli("dataset check '" + (dir / "ds").string() + "'", dir / "check.log"), 0) << readText(dir / "check.log");
  EXPECT_NE(readText(dir / "check.log").find("subjects: 7"), std::string::npos) << readText(dir / "check.log");
  ASSERT_EQ(cli("train --data '" + (dir / "ds").string() + "' --task diagnosis --init random --input-size 32 "
                "--epochs 1 --warmup-epochs 0 --batch 8 --threads 1 --bootstrap 10 --out '" + (dir / "b").string() + "'",
                dir / "train.log"), 0) << readText(dir / "train.log");
  ASSERT_EQ(cli("evaluate --model '" + (dir / "b").string() + "' --data '" + (dir / "ds").string() +
                "' --split all --bootstrap 10 --out '" + (dir / "eval").string() + "'", dir / "eval.log"), 0)
      << readText(dir / "eval.log");
  std::ifstream in(dir / "eval" / "report.json");
  const auto report = nlohmann::json::parse(in);
  EXPECT_NE(report.at("dataset").get<std::string>().find("images-csv"), std::string::npos);
  EXPECT_EQ(report.at("slice_level").dump().empty(), false);

  std::ofstream(src / "labels.csv", std::ios::app) << "png/none.png,subject_0001,covid\n";
  EXPECT_EQ(cli("dataset import --format images-csv '" + src.string() + "' --out '" + (dir / "bad").string() + "'",
                dir / "bad.log"), 1);
  EXPECT_NE(readText(dir / "bad.log").find("labels.csv:58: image"), std::string::npos) << readText(dir / "bad.log");
  EXPECT_FALSE(fs::exists(dir / "bad"));
  EXPECT_EQ(cli("dataset import --format nope '" + src.string() + "' --out '" + (dir / "bad").string() + "'",
                dir / "nope.log"), 1);
}

}  // namespace
}  // namespace lunglens::test::datasets
