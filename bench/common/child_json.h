#pragma once
// Running the Python baselines of the benchmarks (Debian's python3-torch under /usr/bin/python3) and reading the
// numbers they print as one-line JSON objects, without a JSON library in the benchmarks.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace lunglens::bench {

// The command's standard output (empty when it cannot be started).
inline std::string runCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  pclose(pipe);
  return out;
}

// The number after "key": in `line`; NaN when the key is absent.
inline double jsonNumber(const std::string& line, const std::string& key) {
  const auto at = line.find("\"" + key + "\":");
  return at == std::string::npos ? NAN : std::atof(line.c_str() + at + key.size() + 3);
}

}  // namespace lunglens::bench
