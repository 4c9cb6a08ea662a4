#include "core/common/json_file.h"

#include "core/common/json_read.h"

namespace lunglens::core {

nlohmann::json readJsonFile(const std::filesystem::path& file, const std::string& what, const std::string& hint) {
  // A regular file of bounded size (a FIFO is refused, never waited on), JSON of bounded depth, numbers in range:
  // "<file>: <what> file: not valid JSON: ... (<hint>)".
  const std::string label = what + " file";
  const std::string text = readRegularFile(file, label);
  try {
    return parseJsonText(text, file.string(), label);
  } catch (const InputError& e) {
    if (hint.empty()) throw;
    throw InputError(file.string(), std::string(e.what()).substr(file.string().size() + 2) + " (" + hint + ")");
  }
}

}  // namespace lunglens::core
