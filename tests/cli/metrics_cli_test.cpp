#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"

namespace fs = std::filesystem;
using lunglens::test::runCli;

TEST(CliMetrics, WritesReportsAndRocForAPredictionsFile) {
  const auto dir = lunglens::test::scratchDir("cli-metrics");
  const auto csv = dir / "predictions.csv";
  std::ofstream(csv) << "subject_id,label,p_covid,p_other_pneumonia,p_normal\n"
                        "A,covid,0.7,0.2,0.1\nB,other_pneumonia,0.3,0.6,0.1\nC,normal,0.1,0.1,0.8\n"
                        "D,covid,0.4,0.5,0.1\n";
  const auto r = runCli({"metrics", "--predictions", csv.string(), "--out", (dir / "report").string(),
                         "--bootstrap", "100"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::exists(dir / "report" / "roc.png"));
  EXPECT_GT(fs::file_size(dir / "report" / "roc.png"), 5000u);
  std::ifstream in(dir / "report" / "report.json");
  const auto j = nlohmann::json::parse(in);
  EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), 0.75);
  EXPECT_EQ(j["positive_vs_rest"]["fn"].get<int>(), 1);
  EXPECT_NE(r.out.find("75.00%"), std::string::npos);
}

TEST(CliMetrics, BadInputIsExitCodeOneWithTheFileNamed) {
  const auto dir = lunglens::test::scratchDir("cli-metrics-bad");
  const auto csv = dir / "broken.csv";
  std::ofstream(csv) << "subject_id,label,p_a,p_b\nS,a,x,0.5\n";
  const auto r = runCli({"metrics", "--predictions", csv.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("broken.csv:2"), std::string::npos) << r.err;
  EXPECT_EQ(runCli({"metrics", "--predictions", (dir / "missing.csv").string()}).exit_code, 1);
}
