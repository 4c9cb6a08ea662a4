#pragma once
// The slice's top class and whether the model calls it normal: ONE tie rule for the library, the viewer and the
// exports. The top class is the most probable one; a tie with "normal" goes to "normal" (a tie is not a finding);
// a tie between other classes goes to the one listed first (the model's class order; alphabetical for a map).
#include <map>
#include <string>
#include <vector>

namespace lunglens::core::inference {

// Index into `classes` of the top class; -1 when there are no probabilities or their count is not the classes'.
template <typename T>
int topClassIndex(const std::vector<T>& probabilities, const std::vector<std::string>& classes) {
  if (probabilities.empty() || probabilities.size() != classes.size()) return -1;
  int best = 0;
  for (std::size_t i = 1; i < probabilities.size(); ++i) {
    const auto b = static_cast<std::size_t>(best);
    if (probabilities[i] > probabilities[b] || (probabilities[i] == probabilities[b] && classes[i] == "normal"))
      best = static_cast<int>(i);
  }
  return best;
}

// The top class's name ("" for none).
template <typename T>
std::string topClass(const std::vector<T>& probabilities, const std::vector<std::string>& classes) {
  const int i = topClassIndex(probabilities, classes);
  return i < 0 ? std::string() : classes[static_cast<std::size_t>(i)];
}

// The same rule for class -> probability maps (the library's records).
std::string topClass(const std::map<std::string, double>& probabilities);

// True when the top class is "normal" (false without probabilities).
template <typename T>
bool calledNormal(const std::vector<T>& probabilities, const std::vector<std::string>& classes) {
  return topClass(probabilities, classes) == "normal";
}
bool calledNormal(const std::map<std::string, double>& probabilities);

}  // namespace lunglens::core::inference
