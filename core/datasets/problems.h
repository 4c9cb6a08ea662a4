#pragma once
// Import problems collected per row (file and line) instead of stopping at the first, so one run of
// `dataset import` lists everything a user must fix in a labels file; thrown together at the end.
#include <string>
#include <vector>

namespace lunglens::core::datasets {

class Problems {
 public:
  // `where`: "file:line", a file or a folder.
  void add(const std::string& where, const std::string& message);
  bool empty() const { return lines_.empty(); }
  std::size_t size() const { return lines_.size(); }
  const std::vector<std::string>& lines() const { return lines_; }
  // InputError(context, "N problems:\n  where: message\n ...") listing the first 50, if there are any.
  void throwIfAny(const std::string& context) const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace lunglens::core::datasets
