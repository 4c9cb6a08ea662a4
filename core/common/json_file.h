#pragma once
// Reading the JSON files LungLens reads (AI results, classify output, annotations) with errors that name the
// file and the field.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/common/error.h"

namespace lunglens::core {

// Parses `file`; InputError naming it when it cannot be opened ("cannot open the <what> file") or is not JSON
// (the message ends with `hint` when given).
nlohmann::json readJsonFile(const std::filesystem::path& file, const std::string& what, const std::string& hint = "");

// object[name] as T, `fallback` when absent or null; InputError naming `context` and the field on a wrong type.
template <typename T>
T jsonField(const nlohmann::json& object, const char* name, const std::string& context, T fallback) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return fallback;
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    throw InputError(context, std::string("field '") + name + "' has the wrong type");
  }
}

}  // namespace lunglens::core
