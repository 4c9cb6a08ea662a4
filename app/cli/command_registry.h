#pragma once
// Subcommands register themselves here (one cmd_<name>.cpp each), so the dispatcher needs no list of them.
#include <string>
#include <vector>

namespace lunglens::cli {

struct Command {
  std::string name;
  std::string usage;  // "series DIR [--json]" — first line of the help
  std::string summary;
  int (*run)(const std::vector<std::string>& args);  // returns the exit code; may throw (see main.cpp)
};

std::vector<Command>& commands();

struct RegisterCommand {
  explicit RegisterCommand(Command c) { commands().push_back(std::move(c)); }
};

// Exit codes shared by every subcommand.
enum ExitCode { kOk = 0, kBadInput = 1, kUsage = 2, kInternal = 3 };

}  // namespace lunglens::cli
