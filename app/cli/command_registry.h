#pragma once
// Subcommands register themselves here (one cmd_<name>.cpp each), so the dispatcher needs no list of them.
// A command declares its options once; the dispatcher parses argv against them and prints --help from them.
#include <string>
#include <vector>

#include "app/cli/args.h"

namespace lunglens::cli {

struct Command {
  std::string name;
  std::string synopsis;  // what comes before the options: "DIR", "[DIR]", "import DIR... | query | list"; may be ""
  std::string summary;   // a paragraph for --help
  Options options;       // every option the command accepts, each with its help line
  int (*run)(const Args& args) = nullptr;  // gets argv parsed against `options`; returns the exit code; may throw
};

std::vector<Command>& commands();

struct RegisterCommand {
  explicit RegisterCommand(Command c) { commands().push_back(std::move(c)); }
};

// "name SYNOPSIS --required X [--optional Y] [--flag]", generated from the declaration.
std::string usageLine(const Command& c);
// The whole `COMMAND --help` text: usage line, summary and one line per option.
std::string helpText(const Command& c);
// Parses argv against the command's options and runs it (UsageError on a bad option).
int runCommand(const Command& c, const std::vector<std::string>& argv);

// Exit codes shared by every subcommand.
enum ExitCode { kOk = 0, kBadInput = 1, kUsage = 2, kInternal = 3 };

}  // namespace lunglens::cli
