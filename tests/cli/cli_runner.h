#pragma once
// Runs lunglens-cli with arguments and captures its exit code, stdout and stderr.
#include <string>
#include <vector>

namespace lunglens::test {

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

CliResult runCli(const std::vector<std::string>& args);

}  // namespace lunglens::test
