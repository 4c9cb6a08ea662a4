#include "app/cli/args.h"
#include "core/common/strict_number.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

namespace lunglens::cli {

Args::Args(const std::vector<std::string>& argv, const Options& options) {
  std::set<std::string> valued, flags;
  for (const Option& o : options) (o.argument.empty() ? flags : valued).insert(o.name);
  parse(argv, valued, flags);
}

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valued,
           const std::set<std::string>& flags) {
  parse(argv, valued, flags);
}

void Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                 const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positionals_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), val;
    bool hasInline = false;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      val = name.substr(eq + 1);
      name = name.substr(0, eq);
      hasInline = true;
    }
    if (flags.count(name)) {
      if (hasInline) throw UsageError("--" + name + " takes no value");
      flags_.insert(name);
    } else if (valued.count(name)) {
      if (!hasInline) {
        if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
        val = argv[++i];
      }
      values_[name] = val;
    } else {
      throw UsageError("unknown option --" + name);
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& name) const {
  auto v = value(name);
  if (!v) throw UsageError("--" + name + " is required");
  return *v;
}

int Args::intValue(const std::string& name, int fallback) const {
  const auto v = value(name);
  if (!v) return fallback;
  const auto n = core::parseStrictInt(*v, INT_MIN, INT_MAX);
  if (!n) throw UsageError("--" + name + " must be a whole number, not '" + *v + "'");
  return static_cast<int>(*n);
}

double Args::doubleValue(const std::string& name, double fallback) const {
  const auto v = value(name);
  if (!v) return fallback;
  const auto d = core::parseStrictDouble(*v);
  if (!d) throw UsageError("--" + name + " must be a number, not '" + *v + "'");
  return *d;
}

Options operator+(Options a, const Options& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

namespace {

std::string optionText(const Option& o) { return "--" + o.name + (o.argument.empty() ? "" : " " + o.argument); }

}  // namespace

std::string optionsSynopsis(const Options& options) {
  std::string line;
  for (const Option& o : options) line += o.required ? " " + optionText(o) : " [" + optionText(o) + "]";
  return line;
}

std::string optionsHelp(const Options& options) {
  std::size_t width = 0;
  for (const Option& o : options) width = std::max(width, optionText(o).size());
  std::string text;
  for (const Option& o : options) {
    const std::string left = optionText(o);
    text += "  " + left + std::string(width - left.size() + 2, ' ') + o.help + "\n";
  }
  return text;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : text) {
    if (c == ',') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

}  // namespace lunglens::cli
