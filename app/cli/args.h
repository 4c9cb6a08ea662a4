#pragma once
// A small argument parser for the subcommands: positionals and --options (`--key value` or `--key=value`).
// Each command declares its options once (name, argument, help); the parser and `--help` both come from that list.
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

// One --option of a command. An empty `argument` makes it a flag (no value).
struct Option {
  std::string name;      // without the dashes: "series"
  std::string argument;  // the value's placeholder in the help: "UID", "N", "lung|mediastinum|bone|W,L"
  std::string help;      // one line: what it does and its default
  bool required = false;  // shown without brackets in the usage line (the command still checks it)
};
using Options = std::vector<Option>;

// Joins option lists (a command's own and those a shared helper reads), in that order.
Options operator+(Options a, const Options& b);
// " --required X [--optional Y] [--flag]": the options part of a usage line.
std::string optionsSynopsis(const Options& options);
// One aligned line per option: "  --series UID   the series to use ...".
std::string optionsHelp(const Options& options);

class Args {
 public:
  // Parses argv against the declared options; anything undeclared is a UsageError.
  Args(const std::vector<std::string>& argv, const Options& options);
  // The older form (`valued`: options that take a value; `flags`: options that take none), kept so commands not
  // yet declared with Options still build. New commands declare Options in their Command instead.
  Args(const std::vector<std::string>& argv, const std::set<std::string>& valued, const std::set<std::string>& flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::string require(const std::string& name) const;
  int intValue(const std::string& name, int fallback) const;
  double doubleValue(const std::string& name, double fallback) const;

 private:
  void parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
             const std::set<std::string>& flags);

  std::vector<std::string> positionals_;
  std::set<std::string> flags_;
  std::map<std::string, std::string> values_;
};

// Splits "a,b,c" into its parts (empty parts dropped).
std::vector<std::string> splitList(const std::string& text);

}  // namespace lunglens::cli
