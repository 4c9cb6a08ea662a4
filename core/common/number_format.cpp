#include "core/common/number_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lunglens::core {

std::string fixed(double value, int decimals) {
  char buf[352];  // the longest "%.*f" of a double with up to 17 decimals (1e308 has 309 digits)
  std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 17), value);
  return buf;
}

std::string significant(double value, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", std::clamp(digits, 1, 17), value);
  return buf;
}

std::string percent(double probability, const char* separator) {
  return std::to_string(std::lround(std::clamp(probability, 0.0, 1.0) * 100.0)) + separator + "%";
}

}  // namespace lunglens::core
