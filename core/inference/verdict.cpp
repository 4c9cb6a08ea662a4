#include "core/inference/verdict.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/inference/score_check.h"

namespace lunglens::core::inference {

const ClassScore* StudyVerdict::score(const std::string& name) const {
  for (const auto& s : scores)
    if (s.name == name) return &s;
  return nullptr;
}

std::string verdictRuleText(const VerdictRule& rule) {
  return "per class: mean of the top-k slice probabilities (k = ceil(" + significant(rule.top_fraction * 100.0, 6) +
         "% of slices)); verdict = the disease class whose score passes its threshold with the highest score, else "
         "normal";
}

StudyVerdict studyVerdict(const std::vector<std::vector<float>>& slice_probabilities,
                          const std::vector<std::string>& classes, const std::map<std::string, double>& thresholds,
                          const VerdictRule& rule) {
  if (!rule.eligible.empty()) {
    if (rule.eligible.size() != slice_probabilities.size())
      throw InputError("study verdict", "eligibility for " + std::to_string(rule.eligible.size()) + " slices, " +
                                            std::to_string(slice_probabilities.size()) + " slices scored");
    std::vector<std::vector<float>> counted;
    for (std::size_t i = 0; i < slice_probabilities.size(); ++i)
      if (rule.eligible[i]) counted.push_back(slice_probabilities[i]);
    VerdictRule all = rule;
    all.eligible.clear();
    StudyVerdict out = studyVerdict(counted, classes, thresholds, all);
    out.excluded = static_cast<int>(slice_probabilities.size() - counted.size());
    return out;
  }
  StudyVerdict out;
  out.slices = static_cast<int>(slice_probabilities.size());
  for (const auto& row : slice_probabilities)
    if (row.size() != classes.size())
      throw InputError("study verdict", "a slice has " + std::to_string(row.size()) + " probabilities for " +
                                            std::to_string(classes.size()) + " classes");
  for (const auto& row : slice_probabilities) requireFiniteScores(row.data(), row.size(), "study verdict");
  if (out.slices == 0) {
    for (const auto& c : classes) out.scores.push_back({c, 0.0, 0.0, rule.default_threshold, 0});
    return out;
  }
  out.top_k = std::clamp(static_cast<int>(std::ceil(rule.top_fraction * out.slices - 1e-9)), 1, out.slices);

  std::vector<double> column(slice_probabilities.size());
  for (std::size_t c = 0; c < classes.size(); ++c) {
    ClassScore s;
    s.name = classes[c];
    const auto t = thresholds.find(classes[c]);
    s.threshold = t == thresholds.end() ? rule.default_threshold : t->second;
    for (std::size_t i = 0; i < column.size(); ++i) {
      column[i] = slice_probabilities[i][c];
      if (column[i] >= s.threshold) ++s.slices_over_threshold;
    }
    std::partial_sort(column.begin(), column.begin() + out.top_k, column.end(), std::greater<double>());
    double sum = 0.0;
    for (int i = 0; i < out.top_k; ++i) sum += column[static_cast<std::size_t>(i)];
    s.score = sum / out.top_k;
    s.fraction_over_threshold = static_cast<double>(s.slices_over_threshold) / out.slices;
    out.scores.push_back(s);
  }

  const ClassScore* best = nullptr;
  bool has_normal = false;
  for (const auto& s : out.scores) {
    if (s.name == "normal") {
      has_normal = true;
      continue;
    }
    if (s.score >= s.threshold && (!best || s.score > best->score)) best = &s;
  }
  if (best) {
    out.verdict = best->name;
  } else if (has_normal) {
    out.verdict = "normal";
  } else {
    const auto top = std::max_element(out.scores.begin(), out.scores.end(),
                                      [](const ClassScore& a, const ClassScore& b) { return a.score < b.score; });
    out.verdict = top->name;
  }
  return out;
}

StudyVerdict studyVerdict(const std::vector<std::vector<float>>& slice_probabilities, const Manifest& model,
                          const VerdictRule& rule) {
  return studyVerdict(slice_probabilities, model.classes, model.thresholds, rule);
}

}  // namespace lunglens::core::inference
