#include "app/cli/command_registry.h"

#include "core/common/error.h"

namespace lunglens::cli {

std::vector<Command>& commands() {
  static std::vector<Command> all;
  return all;
}

std::string usageLine(const Command& c) {
  std::string line = c.name;
  if (!c.synopsis.empty()) line += " " + c.synopsis;
  return line + optionsSynopsis(c.options);
}

std::string helpText(const Command& c) {
  std::string text = "usage: lunglens-cli " + usageLine(c) + "\n" + c.summary + "\n";
  if (c.options.empty()) return text;
  return text + "\nOptions:\n" + optionsHelp(c.options);
}

int runCommand(const Command& c, const std::vector<std::string>& argv) {
  if (!c.run) throw core::InternalError("command " + c.name + " has nothing to run");
  return c.run(Args(argv, c.options));
}

}  // namespace lunglens::cli
