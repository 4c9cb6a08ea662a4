#pragma once
// Internal to core/dicom: multi-valued DICOM text (values split at '\', each trimmed of padding) and the decimal
// strings (DS/IS) that file headers and functional groups both read.
#include <array>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace lunglens::core::dicom::detail {

inline std::vector<std::string> splitValues(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto bs = s.find('\\', start);
    std::string part = s.substr(start, bs == std::string::npos ? std::string::npos : bs - start);
    const auto a = part.find_first_not_of(' '), b = part.find_last_not_of(' ');
    parts.push_back(a == std::string::npos ? std::string() : part.substr(a, b - a + 1));
    if (bs == std::string::npos) break;
    start = bs + 1;
  }
  return parts;
}

// Decimal strings (DS/IS), all of which must parse; empty if any does not.
inline std::vector<double> numbers(const std::string& s) {
  std::vector<double> out;
  if (s.empty()) return out;
  for (const auto& part : splitValues(s)) {
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || *end != '\0' || !std::isfinite(v)) return {};
    out.push_back(v);
  }
  return out;
}

// ImageOrientationPatient's six values with both direction cosines normalised; none for a wrong count or a
// zero-length direction.
inline std::optional<std::array<double, 6>> unitOrientation(const std::vector<double>& v) {
  if (v.size() != 6) return std::nullopt;
  std::array<double, 6> o{};
  for (int half = 0; half < 2; ++half) {
    const double* d = v.data() + 3 * half;
    const double len = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (len < 1e-6) return std::nullopt;
    for (int i = 0; i < 3; ++i) o[static_cast<std::size_t>(3 * half + i)] = d[i] / len;
  }
  return o;
}

}  // namespace lunglens::core::dicom::detail
