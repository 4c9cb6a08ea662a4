// AiScoresModel's read-outs of the scores for the panel and the exports: the diagnosis and manifestation bars of a
// slice (or why there are none), the score curve along the series, and the study verdict with its rule's numbers.
// Nothing here changes the model; the rest of AiScoresModel is in ai_scores_model.cpp.
#include "ui/ai/ai_scores_model.h"

#include <map>
#include <string>
#include <vector>

#include "core/common/number_format.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

std::vector<Bar> AiScoresModel::diagnosisBars(int slice) const {
  std::vector<Bar> bars;
  if (withheld()) return bars;  // unlike the training data: no bars anywhere (panel, exports) unless shown anyway
  const auto& p = diagnosis(slice);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const std::string& cls = facts_.classes[i];
    const double t = thresholdOf(cls);
    bars.push_back({cls, classLabel(cls), p[i], t, cls != "normal" && p[i] >= t});
  }
  return bars;
}

std::string AiScoresModel::emptyBarsText() const {
  return withheld() ? inf::oodWithheldShort() : "Not scored yet…";
}

std::vector<Bar> AiScoresModel::manifestationBars(int slice) const {
  std::vector<Bar> bars;
  const auto& p = diagnosis(slice);
  const auto& m = manifestation(slice);
  const int covid = covidIndex();
  if (withheld() || p.empty() || m.empty() || covid < 0 || p[static_cast<std::size_t>(covid)] < threshold_) return bars;
  for (std::size_t i = 0; i < m.size() && i < facts_.manifestation_classes.size(); ++i) {
    const std::string& cls = facts_.manifestation_classes[i];
    const auto it = facts_.manifestation_thresholds.find(cls);
    const double t = it != facts_.manifestation_thresholds.end() ? it->second : 0.5;
    bars.push_back({cls, classLabel(cls), m[i], t, m[i] >= t});
  }
  return bars;
}

std::vector<CurvePoint> AiScoresModel::curve(int cls) const {
  std::vector<CurvePoint> points;
  if (cls < 0 || cls >= static_cast<int>(facts_.classes.size()) || withheld()) return points;
  points.reserve(static_cast<std::size_t>(scored_));
  for (int z = 0; z < sliceCount(); ++z) {
    const auto& p = diagnosis_[static_cast<std::size_t>(z)];
    if (!p.empty()) points.push_back({z, p[static_cast<std::size_t>(cls)]});
  }
  return points;
}

inf::StudyVerdict AiScoresModel::verdict() const {
  std::vector<std::vector<float>> rows;
  inf::VerdictRule rule;
  rows.reserve(static_cast<std::size_t>(scored_));
  for (int z = 0; z < sliceCount(); ++z) {
    const auto& p = diagnosis_[static_cast<std::size_t>(z)];
    if (p.empty()) continue;
    rows.push_back(p);
    if (!eligible_.empty()) rule.eligible.push_back(eligible(z) ? 1 : 0);
  }
  if (rows.empty() || facts_.classes.empty()) return {};
  std::map<std::string, double> thresholds = facts_.thresholds;
  thresholds["covid"] = threshold_;
  return inf::studyVerdict(rows, facts_.classes, thresholds, rule);
}

std::string AiScoresModel::verdictHeadline() const {
  if (!hasSeries()) return "";
  if (scored_ == 0) return "Scoring…";
  if (withheld()) return "Scores withheld";
  const inf::StudyVerdict v = verdict();
  std::string text = classLabel(v.verdict);
  if (!allScored()) text += " (so far)";
  return text;
}

std::string AiScoresModel::verdictDetails() const {
  if (scored_ == 0) return "";
  if (withheld()) return oodWarning();
  const inf::StudyVerdict v = verdict();
  // The rule and its numbers: a disease class wins when the mean of its top-k slice probabilities reaches its
  // threshold (verdict.h).
  std::string text = "Mean of the top " + std::to_string(v.top_k) + " of " + std::to_string(v.slices) + " slices:\n";
  for (const auto& s : v.scores) {
    text += classLabel(s.name) + ": " + core::fixed(s.score, 2);
    if (s.name != "normal") {
      text += (s.score >= s.threshold ? " ≥ " : " < ") + core::fixed(s.threshold, 2) + " · " +
              std::to_string(s.slices_over_threshold) + (s.slices_over_threshold == 1 ? " slice" : " slices") + " over";
    }
    text += "\n";
  }
  if (v.excluded > 0)
    text += std::to_string(v.excluded) + (v.excluded == 1 ? " slice" : " slices") + " without lung not counted\n";
  if (!allScored()) text += std::to_string(scored_) + " of " + std::to_string(sliceCount()) + " slices scored so far";
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace lunglens::ui::ai
