#include "core/datasets/problems.h"

#include "core/common/error.h"

namespace lunglens::core::datasets {

void Problems::add(const std::string& where, const std::string& message) { lines_.push_back(where + ": " + message); }

void Problems::throwIfAny(const std::string& context) const {
  if (lines_.empty()) return;
  constexpr std::size_t kShown = 50;
  std::string text = std::to_string(lines_.size()) + (lines_.size() == 1 ? " problem" : " problems") +
                     " (nothing was written):";
  for (std::size_t i = 0; i < lines_.size() && i < kShown; ++i) text += "\n  " + lines_[i];
  if (lines_.size() > kShown) text += "\n  ... and " + std::to_string(lines_.size() - kShown) + " more";
  throw InputError(context, text);
}

}  // namespace lunglens::core::datasets
