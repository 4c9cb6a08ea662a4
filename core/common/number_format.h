#pragma once
// Numbers as text, one family for every output (reports, CSV, overlays, exported images, DICOM strings). printf
// semantics in the C locale's style ("%.*f", "%.*g"), so the same number reads the same everywhere.
#include <string>

namespace lunglens::core {

// `decimals` digits after the point: fixed(12.345, 1) == "12.3", fixed(-0.4, 0) == "-0".
std::string fixed(double value, int decimals);

// At most `digits` significant digits, no trailing zeros: significant(0.1234567, 6) == "0.123457".
std::string significant(double value, int digits);

// A probability as a whole percent: percent(0.374) == "37 %", percent(0.374, "") == "37%" (the compact form of
// bars and labels). Clamped to [0, 1]; half rounds away from zero.
std::string percent(double probability, const char* separator = " ");

}  // namespace lunglens::core
