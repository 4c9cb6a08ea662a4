#include "core/datasets/label_array.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "core/common/error.h"
#include "core/datasets/csv_table.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

namespace {

std::string dictValue(const std::string& header, const std::string& key) {
  const auto k = header.find("'" + key + "'");
  if (k == std::string::npos) return "";
  auto start = header.find(':', k);
  if (start == std::string::npos) return "";
  ++start;
  while (start < header.size() && header[start] == ' ') ++start;
  if (header[start] == '(') return header.substr(start, header.find(')', start) - start + 1);
  if (header[start] == '\'') return header.substr(start + 1, header.find('\'', start + 1) - start - 1);
  const auto end = header.find_first_of(",}", start);
  return trim(header.substr(start, end - start));
}

template <class T>
double value(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return static_cast<double>(v);
}

std::vector<std::vector<double>> readNpy(const fs::path& file, const std::string& bytes) {
  auto bad = [&](const std::string& why) { return InputError(file.string(), "not a usable .npy label array: " + why); };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw bad("no NUMPY magic");
  const int major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else {
    if (bytes.size() < 12) throw bad("truncated header");
    std::uint32_t len;
    std::memcpy(&len, &bytes[8], 4);
    header_len = len;
    offset = 12;
  }
  if (bytes.size() < offset + header_len) throw bad("truncated header");
  const std::string header = bytes.substr(offset, header_len);
  const std::string descr = dictValue(header, "descr");
  if (dictValue(header, "fortran_order") != "False") throw bad("Fortran order");
  std::string shape = dictValue(header, "shape");
  std::vector<std::size_t> dims;
  for (char& c : shape)
    if (c == '(' || c == ')' || c == ',') c = ' ';
  std::istringstream s(shape);
  for (std::size_t v; s >> v;) dims.push_back(v);
  if (dims.size() == 1) dims.insert(dims.begin(), 1);
  if (dims.size() != 2) throw bad("shape " + dictValue(header, "shape") + " is not 2-D");
  if (descr.size() < 3 || descr[0] == '>') throw bad("dtype '" + descr + "' (big endian or unknown)");
  const char kind = descr[1];
  const int size = std::stoi(descr.substr(2));
  const char* data = bytes.data() + offset + header_len;
  if (bytes.size() < offset + header_len + dims[0] * dims[1] * static_cast<std::size_t>(size))
    throw bad("shorter than its shape");
  std::vector<std::vector<double>> rows(dims[0], std::vector<double>(dims[1]));
  for (std::size_t r = 0; r < dims[0]; ++r)
    for (std::size_t c = 0; c < dims[1]; ++c) {
      const char* p = data + (r * dims[1] + c) * static_cast<std::size_t>(size);
      double v = 0;
      if ((kind == 'b' || kind == 'u') && size == 1) v = value<std::uint8_t>(p);
      else if (kind == 'u' && size == 2) v = value<std::uint16_t>(p);
      else if (kind == 'u' && size == 4) v = value<std::uint32_t>(p);
      else if (kind == 'u' && size == 8) v = value<std::uint64_t>(p);
      else if (kind == 'i' && size == 1) v = value<std::int8_t>(p);
      else if (kind == 'i' && size == 2) v = value<std::int16_t>(p);
      else if (kind == 'i' && size == 4) v = value<std::int32_t>(p);
      else if (kind == 'i' && size == 8) v = value<std::int64_t>(p);
      else if (kind == 'f' && size == 4) v = value<float>(p);
      else if (kind == 'f' && size == 8) v = value<double>(p);
      else throw bad("dtype '" + descr + "'");
      rows[r][c] = v;
    }
  return rows;
}

}  // namespace

std::vector<std::vector<double>> readLabelArray(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot open the label array");
  std::ostringstream s;
  s << in.rdbuf();
  const std::string bytes = s.str();
  if (file.extension() == ".npy") return readNpy(file, bytes);
  std::vector<std::vector<double>> rows;
  std::istringstream lines(bytes);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (trim(line).empty() || line == "\r") continue;
    std::vector<double> row;
    std::stringstream fields(line);
    for (std::string field; std::getline(fields, field, ',');) {
      try {
        row.push_back(std::stod(field));
      } catch (const std::exception&) {
        throw InputError(file.string() + ":" + std::to_string(number), "'" + trim(field) + "' is not a number");
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace lunglens::core::datasets
