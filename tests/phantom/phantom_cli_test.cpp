// lunglens-cli phantom / phantom-set run as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"

namespace lunglens::test {
namespace {

TEST(PhantomCli, WritesAStudyAndRejectsBadInput) {
  const auto out = scratchDir("phantom-cli");
  const auto r = runCli({"phantom", "--out", (out / "s").string(), "--seed", "3", "--diagnosis", "other_pneumonia",
                         "--slices", "6", "--size", "64", "--kernel", "sharp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out / "s" / "truth.json"));
  EXPECT_TRUE(std::filesystem::exists(out / "s" / "labels.nii.gz"));
  EXPECT_TRUE(std::filesystem::exists(out / "s" / "dicom" / "slice_0005.dcm"));
  EXPECT_NE(r.out.find("series uid 2.25."), std::string::npos) << r.out;

  EXPECT_EQ(runCli({"phantom", "--out", (out / "x").string(), "--diagnosis", "flu"}).exit_code, 1);
  EXPECT_EQ(runCli({"phantom", "--out", (out / "x").string(), "--manifestations", "tree_in_bud"}).exit_code, 1);
  EXPECT_EQ(runCli({"phantom", "--out", (out / "x").string(), "--severity", "2"}).exit_code, 1);
  EXPECT_EQ(runCli({"phantom", "--out", (out / "x").string(), "--bogus"}).exit_code, 2);
  EXPECT_EQ(runCli({"phantom", "--seed", "1"}).exit_code, 2);  // --out is required
  EXPECT_EQ(runCli({"phantom", "--out", (out / "x").string(), "--seed", "abc"}).exit_code, 2);
}

TEST(PhantomCli, PhantomSetReportsProgressAndWritesLabels) {
  const auto out = scratchDir("phantom-set-cli");
  const auto r = runCli({"phantom-set", "--out", out.string(), "--subjects", "3", "--seed", "2", "--slices", "4",
                         "--size", "64"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("3/3 subjects"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out / "labels.csv"));
  EXPECT_TRUE(std::filesystem::exists(out / "subject_0003" / "dicom" / "slice_0003.dcm"));
  EXPECT_EQ(runCli({"phantom-set", "--out", out.string(), "--subjects", "0"}).exit_code, 1);
}

}  // namespace
}  // namespace lunglens::test
