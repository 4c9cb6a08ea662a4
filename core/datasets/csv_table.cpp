#include "core/datasets/csv_table.h"

#include <algorithm>
#include <cctype>
#include <fstream>

#include "core/common/csv.h"
#include "core/common/error.h"

namespace lunglens::core::datasets {

namespace {

std::vector<std::string> splitLine(const std::string& line) {
  std::vector<std::string> fields = csvSplitLine(line);
  for (auto& f : fields) f = trim(f);
  return fields;
}

}  // namespace

std::string toLower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

CsvTable CsvTable::read(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot open the CSV file");
  CsvTable table;
  table.file_ = file;
  std::string line;
  if (!std::getline(in, line)) throw InputError(file.string(), "is empty (a header line is required)");
  if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF) line = line.substr(3);  // UTF-8 BOM
  const auto header = splitLine(line);
  for (std::size_t i = 0; i < header.size(); ++i) table.columns_.emplace(toLower(header[i]), i);
  for (int number = 2; std::getline(in, line); ++number) {
    if (trim(line).empty() || line == "\r") continue;
    auto fields = splitLine(line);
    if (fields.size() != header.size())
      throw InputError(file.string() + ":" + std::to_string(number),
                       "has " + std::to_string(fields.size()) + " fields, the header " + std::to_string(header.size()));
    table.rows_.push_back({number, std::move(fields)});
  }
  return table;
}

std::optional<std::size_t> CsvTable::column(const std::vector<std::string>& names) const {
  for (const auto& name : names) {
    const auto it = columns_.find(name);
    if (it != columns_.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace lunglens::core::datasets
