#pragma once
// Numbers typed by people or read from files parse whole or not at all: "2 OR 1=1" is not the slice 2, "12abc"
// is not 12, " 7" and "7 " are not numbers either. One parser for every such place.
#include <cstdint>
#include <optional>
#include <string>

namespace lunglens::core {

// The whole of `text` as a base-10 integer in [lo, hi] (an optional leading '-' or '+', digits only), else nullopt.
std::optional<std::int64_t> parseStrictInt(const std::string& text, std::int64_t lo = INT64_MIN,
                                           std::int64_t hi = INT64_MAX);
// The whole of `text` as a finite decimal number (strtod syntax, no surrounding space), else nullopt.
std::optional<double> parseStrictDouble(const std::string& text);

}  // namespace lunglens::core
