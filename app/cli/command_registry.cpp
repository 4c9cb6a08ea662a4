#include "app/cli/command_registry.h"

namespace lunglens::cli {

std::vector<Command>& commands() {
  static std::vector<Command> all;
  return all;
}

}  // namespace lunglens::cli
