// lunglens-cli quantify run as a user runs it: a phantom series gives a table / JSON and a NIfTI zone mask that
// reloads voxel for voxel; bad input exits 1 with a clear message; wrong usage exits 2.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/io/nifti.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"

namespace lunglens::test {
namespace {

TEST(QuantifyCli, PhantomSeriesGivesJsonAndAMaskThatReloads) {
  const auto dir = scratchDir("quantify-cli");
  const auto made = runCli({"phantom", "--out", (dir / "ph").string(), "--seed", "5", "--diagnosis", "covid",
                            "--slices", "40", "--size", "192"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const auto mask = dir / "mask.nii.gz";
  const auto r = runCli({"quantify", (dir / "ph" / "dicom").string(), "--json", "--mask-out", mask.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "lunglens.lung_analysis/1");
  EXPECT_EQ(j["zones"].size(), 6u);
  EXPECT_GT(j["right"]["volume_ml"].get<double>(), 300.0);
  EXPECT_GT(j["left"]["volume_ml"].get<double>(), 300.0);
  EXPECT_EQ(j["slices"].size(), 40u);
  const int score = j["severity_score"];
  EXPECT_GE(score, 1);
  EXPECT_LE(score, 24);

  const auto nii = core::io::readNifti(mask);
  EXPECT_EQ(nii.dims[0], 192);
  EXPECT_EQ(nii.dims[2], 40);
  // The mask's voxel count per label matches the JSON's zone voxel counts.
  std::int64_t counts[7] = {0, 0, 0, 0, 0, 0, 0};
  for (unsigned char c : nii.data) {
    ASSERT_LE(c, 6);
    ++counts[c];
  }
  for (int k = 0; k < 6; ++k) EXPECT_EQ(counts[k + 1], j["zones"][k]["voxels"].get<std::int64_t>());

  // The table form.
  const auto table = runCli({"quantify", (dir / "ph" / "dicom").string()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("right_upper"), std::string::npos);
  EXPECT_NE(table.out.find("/24"), std::string::npos);
}

TEST(QuantifyCli, BadInputExitsOneWithAMessage) {
  const auto single = runCli({"quantify", (pydicomTestFiles() / "CT_small.dcm").string()});
  EXPECT_EQ(single.exit_code, 1);
  EXPECT_NE(single.err.find("no lungs found"), std::string::npos) << single.err;
  const auto empty = scratchDir("quantify-empty");
  EXPECT_EQ(runCli({"quantify", empty.string()}).exit_code, 1);
  EXPECT_EQ(runCli({"quantify", (empty / "missing").string()}).exit_code, 1);
  EXPECT_EQ(runCli({"quantify"}).exit_code, 2);
  EXPECT_EQ(runCli({"quantify", empty.string(), "--bogus"}).exit_code, 2);
}

}  // namespace
}  // namespace lunglens::test
