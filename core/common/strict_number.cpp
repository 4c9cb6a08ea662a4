#include "core/common/strict_number.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace lunglens::core {

std::optional<std::int64_t> parseStrictInt(const std::string& text, std::int64_t lo, std::int64_t hi) {
  std::size_t i = text.empty() ? 0 : (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i == text.size()) return std::nullopt;
  for (std::size_t j = i; j < text.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(text[j]))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || end != text.c_str() + text.size()) return std::nullopt;
  if (v < lo || v > hi) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<double> parseStrictDouble(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())) ||
      std::isspace(static_cast<unsigned char>(text.back())))
    return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace lunglens::core
