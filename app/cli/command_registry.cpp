#include "app/cli/command_registry.h"

namespace lunglens::cli {

std::vector<Command>& commands() {
  static std::vector<Command> all;
  return all;
}

RegisterCommand::RegisterCommand(LegacyCommand c) {
  Command cmd;
  cmd.name = std::move(c.name);
  cmd.summary = std::move(c.summary);
  cmd.legacy_usage = std::move(c.usage);
  cmd.legacy_run = c.run;
  commands().push_back(std::move(cmd));
}

std::string usageLine(const Command& c) {
  if (!c.declared()) return c.legacy_usage;
  std::string line = c.name;
  if (!c.synopsis.empty()) line += " " + c.synopsis;
  return line + optionsSynopsis(c.options);
}

std::string helpText(const Command& c) {
  std::string text = "usage: lunglens-cli " + usageLine(c) + "\n" + c.summary + "\n";
  if (!c.declared() || c.options.empty()) return text;
  return text + "\nOptions:\n" + optionsHelp(c.options);
}

int runCommand(const Command& c, const std::vector<std::string>& argv) {
  if (!c.declared()) return c.legacy_run(argv);
  return c.run(Args(argv, c.options));
}

}  // namespace lunglens::cli
