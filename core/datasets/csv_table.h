#pragma once
// A small CSV reader for the labels files the importers read: header row, quoted fields, each row with its line
// number so problems name "file:line". Column names are matched case-insensitively.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lunglens::core::datasets {

struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Throws InputError naming the file if it cannot be read, is empty, or a row's field count differs from the
  // header's (file:line).
  static CsvTable read(const std::filesystem::path& file);

  const std::filesystem::path& file() const { return file_; }
  const std::vector<CsvRow>& rows() const { return rows_; }
  // The index of the first of `names` present (lower case), or nullopt.
  std::optional<std::size_t> column(const std::vector<std::string>& names) const;
  std::string where(const CsvRow& row) const { return file_.string() + ":" + std::to_string(row.line); }

 private:
  std::filesystem::path file_;
  std::map<std::string, std::size_t> columns_;
  std::vector<CsvRow> rows_;
};

std::string toLower(std::string text);
std::string trim(const std::string& text);

}  // namespace lunglens::core::datasets
