#pragma once
// The study verdict: ONE aggregation rule from slice probabilities to a study-level class, used by the engine, the
// CLI and the evaluation code (subject-level metrics), so every number a reader sees comes from the same rule.
//
// Rule (per class c, over the n slices of a series):
//   k = max(1, ceil(top_fraction * n))             (top_fraction = 0.1 by default)
//   score_c    = mean of the k highest P(c)        (robust to a few noisy slices, sensitive to focal disease)
//   fraction_c = share of slices with P(c) >= threshold_c   (threshold from the manifest, else 0.5)
//   verdict    = among the disease classes (every class except "normal") whose score_c >= threshold_c, the one with
//                the highest score_c; if none, "normal" (a model without a "normal" class: the highest score_c).
// Slices the rule marks not eligible (e.g. no lung on them: neck, upper abdomen) are left out before all of this:
// n, k, the scores and the fractions count eligible slices only.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::inference {

struct VerdictRule {
  double top_fraction = 0.1;
  double default_threshold = 0.5;
  // Per-slice eligibility, one entry per row of slice probabilities (0 = not counted); empty = every slice counts.
  // Another length is an InputError.
  std::vector<std::uint8_t> eligible;
};

// The rule in words, for every output that states it (classify, exports, evaluation reports).
std::string verdictRuleText(const VerdictRule& rule = {});

struct ClassScore {
  std::string name;
  double score = 0.0;                    // mean of the top-k slice probabilities
  double fraction_over_threshold = 0.0;  // in [0, 1]
  double threshold = 0.5;
  int slices_over_threshold = 0;
};

struct StudyVerdict {
  std::string verdict;  // a class name; empty when there were no slices
  int slices = 0;    // slices counted (eligible ones)
  int excluded = 0;  // slices left out as not eligible
  int top_k = 0;
  std::vector<ClassScore> scores;  // in the classes' order
  const ClassScore* score(const std::string& name) const;
};

// `slice_probabilities[i]` holds one probability per class (same order as `classes`). Rows of another length are
// an InputError.
StudyVerdict studyVerdict(const std::vector<std::vector<float>>& slice_probabilities,
                          const std::vector<std::string>& classes, const std::map<std::string, double>& thresholds,
                          const VerdictRule& rule = {});
StudyVerdict studyVerdict(const std::vector<std::vector<float>>& slice_probabilities, const Manifest& model,
                          const VerdictRule& rule = {});

}  // namespace lunglens::core::inference
