#include "core/export/json_file.h"

#include <fstream>
#include <sstream>

namespace lunglens::core::exporting {

nlohmann::json readJsonFile(const std::filesystem::path& file, const std::string& what, const std::string& hint) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot open the " + what + " file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    return nlohmann::json::parse(buffer.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(file.string(), std::string("not valid JSON") + (hint.empty() ? "" : " (" + hint + ")") + ": " +
                                        e.what());
  }
}

}  // namespace lunglens::core::exporting
