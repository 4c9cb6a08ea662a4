#pragma once
// A small argument parser for the subcommands: positionals and --options (`--key value` or `--key=value`).
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace lunglens::cli {

// Wrong usage (unknown option, missing value): exit code 2 with the command's usage text.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `valued`: options that take a value; `flags`: options that take none. Anything else is a UsageError.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::string require(const std::string& name) const;
  int intValue(const std::string& name, int fallback) const;
  double doubleValue(const std::string& name, double fallback) const;

 private:
  std::vector<std::string> positionals_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
};

// Splits "a,b,c" into its parts (empty parts dropped).
std::vector<std::string> splitList(const std::string& text);

}  // namespace lunglens::cli
