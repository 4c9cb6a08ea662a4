#include <gtest/gtest.h>

#include "tests/cli/cli_runner.h"

using lunglens::test::runCli;

TEST(CliUsage, NoCommandIsAUsageError) {
  const auto r = runCli({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: lunglens-cli"), std::string::npos);
}

TEST(CliUsage, UnknownCommandAndOptionAreUsageErrors) {
  EXPECT_EQ(runCli({"no-such-command"}).exit_code, 2);
  const auto r = runCli({"metrics", "--no-such-option", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option --no-such-option"), std::string::npos) << r.err;
}

TEST(CliUsage, HelpListsEveryCommandWithTheDisclaimer) {
  const auto r = runCli({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("metrics --predictions"), std::string::npos);
  EXPECT_NE(r.out.find("Reading aid — not for diagnostic use"), std::string::npos);
}

// Options that worked but were missing from --help (issue 18): the help is now generated from the declaration.
TEST(CliUsage, HelpShowsEveryOptionTheCommandAccepts) {
  const std::vector<std::pair<std::string, std::string>> once_missing = {
      {"export", "--manifestation-model DIR"}, {"export-dicom", "--manifestation-model DIR"},
      {"report", "--manifestation-model DIR"}, {"report", "--window"},
      {"metrics", "--seed N"},                 {"metrics", "--title TEXT"}};
  for (const auto& [command, option] : once_missing) {
    const auto r = runCli({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find(option), std::string::npos) << command << " --help lacks " << option << ":\n" << r.out;
  }
}
