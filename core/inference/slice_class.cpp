#include "core/inference/slice_class.h"

namespace lunglens::core::inference {

std::string topClass(const std::map<std::string, double>& probabilities) {
  std::vector<std::string> classes;
  std::vector<double> p;
  for (const auto& [name, value] : probabilities) {
    classes.push_back(name);
    p.push_back(value);
  }
  return topClass(p, classes);
}

bool calledNormal(const std::map<std::string, double>& probabilities) { return topClass(probabilities) == "normal"; }

}  // namespace lunglens::core::inference
