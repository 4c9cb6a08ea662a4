// `lunglens-cli phantom --background` and `phantom-set --backgrounds` on the shared real series (TCIA
// Lung-PET-CT-Dx, CC BY 4.0): the study written is a new, synthetic-identity DICOM series on the background's
// grid with truth.json and labels.nii.gz, and a set mixes stylised and hybrid subjects.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/dicom/scan.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"

namespace lunglens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

TEST(HybridCli, PhantomOnARealBackgroundWritesANewSeriesWithTruth) {
  const fs::path background = test::lungPetCtDx() / "Lung_Dx-A0002";
  const auto real = core::dicom::scan(background);
  ASSERT_FALSE(real.series.empty());
  const auto& source = real.series.front();
  const fs::path out = test::scratchDir("hybrid-cli") / "study";
  const auto r = test::runCli({"phantom", "--background", background.string(), "--series", source.series_uid, "--out",
                               out.string(), "--diagnosis", "other_pneumonia", "--seed", "3", "--flip", "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto written = core::dicom::scan(out / "dicom");
  ASSERT_EQ(written.series.size(), 1u);
  const auto& s = written.series.front();
  EXPECT_EQ(s.slices.size(), source.slices.size());
  EXPECT_EQ(s.rows, source.rows);
  EXPECT_NE(s.series_uid, source.series_uid);
  EXPECT_NE(s.study_uid, source.study_uid);
  EXPECT_NE(s.patient_id, source.patient_id) << "a hybrid never carries the real patient's identity";
  EXPECT_EQ(s.series_description.rfind("HYBRID PHANTOM other_pneumonia", 0), 0u) << s.series_description;
  const json truth = json::parse(std::ifstream(out / "truth.json"));
  EXPECT_TRUE(truth.at("hybrid").at("real_anatomy").get<bool>());
  EXPECT_NE(truth.at("hybrid").at("background").get<std::string>().find("flip=1"), std::string::npos);
  EXPECT_EQ(truth.at("study").at("diagnosis"), "other_pneumonia");
  EXPECT_TRUE(fs::exists(out / "labels.nii.gz"));

  // Options that the background decides are refused, not silently ignored; a missing background is exit 1.
  EXPECT_EQ(test::runCli({"phantom", "--background", background.string(), "--out", out.string(), "--size", "256"})
                .exit_code,
            2);
  EXPECT_EQ(test::runCli({"phantom", "--background", (background / "nope").string(), "--out", out.string()}).exit_code,
            1);
}

TEST(HybridCli, PhantomSetMixesStylisedAndHybridSubjects) {
  const fs::path out = test::scratchDir("hybrid-cli-set");
  const auto r = test::runCli({"phantom-set", "--out", out.string(), "--subjects", "6", "--slices", "24", "--size", "128",
                               "--seed", "77", "--threads", "2", "--backgrounds",
                               (test::lungPetCtDx() / "Lung_Dx-A0002").string(), "--hybrid-share", "0.5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json set = json::parse(std::ifstream(out / "dataset.json"));
  int hybrid = 0, stylised = 0;
  std::set<std::string> series;  // A0002 has two reconstructions; a hybrid takes one of them
  for (const auto& s : set.at("subjects")) {
    (s.contains("background") ? hybrid : stylised) += 1;
    if (s.contains("background")) {
      const std::string b = s.at("background");
      series.insert(b.substr(0, b.find(';')));
    }
  }
  EXPECT_GT(hybrid, 0);
  EXPECT_GT(stylised, 0);
  EXPECT_EQ(hybrid + stylised, 6);
  EXPECT_EQ(test::runCli({"phantom-set", "--out", out.string(), "--hybrid-share", "0.5"}).exit_code, 2);

  // A model trained on the mix says where its anatomy came from (one batch is enough for the manifest).
  const fs::path bundle = test::scratchDir("hybrid-cli-bundle") / "bundle";
  const auto t = test::runCli({"train", "--data", out.string(), "--task", "diagnosis", "--arch", "resnet18", "--init",
                               "random", "--input-size", "32", "--epochs", "1", "--warmup-epochs", "0", "--batch", "4",
                               "--max-batches", "1", "--threads", "1", "--bootstrap", "10", "--out", bundle.string()});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const json manifest = json::parse(std::ifstream(bundle / "manifest.json"));
  const std::string note = manifest.at("provenance").at("training_data");
  EXPECT_NE(note.find("stylised and hybrid phantoms (" + std::to_string(hybrid) + " of 6 subjects hybrid: real "
                      "anatomy from " + std::to_string(series.size()) + " CT series, synthetic findings"),
            std::string::npos)
      << note;
}

}  // namespace
}  // namespace lunglens
