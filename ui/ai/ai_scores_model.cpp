// AiScoresModel: the open series' scores as they stream in, the settings (threshold, filter, eligible slices, show
// anyway), the OOD guard's summary, suspicious-slice navigation and the heatmap choice; and the facts and class
// labels it shows. What the panel reads from the scores (bars, curve, verdict) is in ai_scores_readout.cpp.
#include "ui/ai/ai_scores_model.h"

#include <algorithm>
#include <cstdio>

#include "core/inference/slice_class.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

namespace {
const std::vector<float> kNone;
}  // namespace

ModelFacts modelFactsFrom(const inf::Manifest& diagnosis, const inf::Manifest* manifestation) {
  ModelFacts f;
  f.classes = diagnosis.classes;
  f.thresholds = diagnosis.thresholds;
  f.name = diagnosis.name;
  f.version = diagnosis.version;
  f.architecture = diagnosis.architecture;
  f.training_data = diagnosis.provenance.training_data;
  f.date = diagnosis.provenance.date;
  f.synthetic = diagnosis.provenance.synthetic;
  f.manifestation_gate = diagnosis.threshold("covid", 0.5);
  if (manifestation) {
    f.manifestation_classes = manifestation->classes;
    f.manifestation_thresholds = manifestation->thresholds;
    f.manifestation_gate = manifestation->threshold("covid", f.manifestation_gate);  // as the engine gates
    f.manifestation_name = manifestation->name;
    f.manifestation_version = manifestation->version;
    f.synthetic = f.synthetic || manifestation->provenance.synthetic;
  }
  return f;
}

std::string classLabel(const std::string& cls) {
  if (cls == "covid") return "COVID-19";
  if (cls == "other_pneumonia") return "Other pneumonia";
  if (cls == "normal") return "Normal";
  if (cls == "ggo") return "Ground-glass opacity";
  if (cls == "consolidation") return "Consolidation";
  if (cls == "fibrotic_streaks") return "Fibrotic streaks";
  return cls;
}

AiScoresModel::AiScoresModel(QObject* parent) : QObject(parent) {}

void AiScoresModel::openSeries(const std::string& series_uid, int slices, const ModelFacts& facts) {
  uid_ = series_uid;
  facts_ = facts;
  diagnosis_.assign(static_cast<std::size_t>(std::max(0, slices)), {});
  manifestation_.assign(diagnosis_.size(), {});
  heatmaps_.assign(diagnosis_.size(), {});
  ood_.assign(static_cast<std::size_t>(slices), -1);
  showAnyway_ = false;
  scored_ = 0;
  current_ = std::clamp(current_, 0, std::max(0, slices - 1));
  const auto it = facts.thresholds.find("covid");
  threshold_ = it != facts.thresholds.end() ? it->second : 0.5;
  filter_ = -1;
  eligible_.clear();
  if (heatmapClass_ >= static_cast<int>(facts_.classes.size())) heatmapClass_ = -1;
  emit seriesChanged();
}

void AiScoresModel::clear() {
  uid_.clear();
  facts_ = {};
  diagnosis_.clear();
  manifestation_.clear();
  heatmaps_.clear();
  ood_.clear();
  showAnyway_ = false;
  scored_ = 0;
  current_ = 0;
  filter_ = -1;
  eligible_.clear();
  emit seriesChanged();
}

bool AiScoresModel::applyResult(const std::string& series_uid, const inf::SliceResult& result) {
  if (series_uid != uid_ || uid_.empty() || result.slice < 0 || result.slice >= sliceCount()) return false;
  const auto z = static_cast<std::size_t>(result.slice);
  if (!result.diagnosis.empty() && result.diagnosis.size() != facts_.classes.size()) return false;
  if (diagnosis_[z].empty() && !result.diagnosis.empty()) ++scored_;
  if (!result.diagnosis.empty()) diagnosis_[z] = result.diagnosis;
  if (!result.manifestation.empty()) manifestation_[z] = result.manifestation;
  if (result.ood) ood_[z] = result.ood->out_of_distribution ? 1 : 0;
  const bool newHeatmap =
      !result.diagnosis_heatmap.empty() && (heatmaps_[z].values != result.diagnosis_heatmap.values ||
                                            heatmaps_[z].class_index != result.diagnosis_heatmap.class_index);
  if (newHeatmap) heatmaps_[z] = result.diagnosis_heatmap;
  emit scoresChanged(result.slice);
  if (newHeatmap) emit heatmapChanged(result.slice);
  return true;
}

void AiScoresModel::setCurrentSlice(int slice) {
  if (slice == current_) return;
  current_ = slice;
  emit currentSliceChanged(slice);
}

void AiScoresModel::setVerdictThreshold(double threshold) {
  threshold = std::clamp(threshold, 0.01, 0.99);
  if (threshold == threshold_) return;
  threshold_ = threshold;
  emit settingsChanged();
}

void AiScoresModel::setManifestationFilter(int manifestation) {
  if (manifestation >= static_cast<int>(facts_.manifestation_classes.size())) manifestation = -1;
  if (manifestation == filter_) return;
  filter_ = manifestation;
  emit settingsChanged();
}

void AiScoresModel::setSliceEligibility(std::vector<std::uint8_t> eligible) {
  if (eligible.size() != static_cast<std::size_t>(sliceCount())) eligible.clear();
  if (eligible == eligible_) return;
  eligible_ = std::move(eligible);
  emit settingsChanged();
}

bool AiScoresModel::eligible(int slice) const {
  return eligible_.empty() ||
         (slice >= 0 && slice < static_cast<int>(eligible_.size()) && eligible_[static_cast<std::size_t>(slice)] != 0);
}

int AiScoresModel::ineligibleCount() const {
  int n = 0;
  for (std::uint8_t e : eligible_) n += e ? 0 : 1;
  return n;
}

void AiScoresModel::setShowAnyway(bool show) {
  if (show == showAnyway_) return;
  showAnyway_ = show;
  emit settingsChanged();
}

inf::OodSummary AiScoresModel::oodSummary() const {
  std::vector<bool> flags;
  // Lung slices only: a neck or abdomen slice says nothing about whether the lungs resemble the training data.
  for (int z = 0; z < static_cast<int>(ood_.size()); ++z)
    if (ood_[static_cast<std::size_t>(z)] >= 0 && eligible(z)) flags.push_back(ood_[static_cast<std::size_t>(z)] == 1);
  return inf::summarizeOod(facts_.ood_guarded, flags);
}

std::string AiScoresModel::oodWarning() const {
  const inf::OodSummary s = oodSummary();
  if (!s.out_of_distribution) return "";
  return std::string(inf::oodWithheldHeadline()) + ". " + inf::oodCountsText(s) + ".";
}

bool AiScoresModel::scored(int slice) const { return !diagnosis(slice).empty(); }

const std::vector<float>& AiScoresModel::diagnosis(int slice) const {
  return slice >= 0 && slice < sliceCount() ? diagnosis_[static_cast<std::size_t>(slice)] : kNone;
}

const std::vector<float>& AiScoresModel::manifestation(int slice) const {
  return slice >= 0 && slice < sliceCount() ? manifestation_[static_cast<std::size_t>(slice)] : kNone;
}

const inf::Heatmap* AiScoresModel::heatmap(int slice) const {
  if (withheld() || slice < 0 || slice >= sliceCount() || heatmaps_[static_cast<std::size_t>(slice)].empty())
    return nullptr;
  return &heatmaps_[static_cast<std::size_t>(slice)];
}

double AiScoresModel::thresholdOf(const std::string& cls) const {
  if (cls == "covid") return threshold_;
  const auto it = facts_.thresholds.find(cls);
  return it != facts_.thresholds.end() ? it->second : 0.5;
}

int AiScoresModel::covidIndex() const {
  const auto it = std::find(facts_.classes.begin(), facts_.classes.end(), "covid");
  return it == facts_.classes.end() ? -1 : static_cast<int>(it - facts_.classes.begin());
}

bool AiScoresModel::suspicious(int slice) const {
  const auto& p = diagnosis(slice);
  if (p.empty() || !eligible(slice) || withheld()) return false;
  bool disease = false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (facts_.classes[i] != "normal" && p[i] >= thresholdOf(facts_.classes[i])) disease = true;
  if (!disease || filter_ < 0) return disease;
  const auto& m = manifestation(slice);
  if (m.size() <= static_cast<std::size_t>(filter_)) return false;
  const std::string& cls = facts_.manifestation_classes[static_cast<std::size_t>(filter_)];
  const auto it = facts_.manifestation_thresholds.find(cls);
  return m[static_cast<std::size_t>(filter_)] >= (it != facts_.manifestation_thresholds.end() ? it->second : 0.5);
}

std::optional<int> AiScoresModel::nextSuspicious(int from, int step) const {
  step = step < 0 ? -1 : 1;
  for (int z = from + step; z >= 0 && z < sliceCount(); z += step)
    if (suspicious(z)) return z;
  return std::nullopt;
}

std::optional<int> AiScoresModel::highestScoring(int cls) const {
  if (cls < 0) cls = covidIndex();
  if (cls < 0 || withheld()) return std::nullopt;
  std::optional<int> best;
  float bestP = -1.0f;
  for (int z = 0; z < sliceCount(); ++z) {
    const auto& p = diagnosis_[static_cast<std::size_t>(z)];
    if (p.empty() || !eligible(z)) continue;
    // With a manifestation filter, only slices showing it count.
    if (filter_ >= 0 && !suspicious(z)) continue;
    if (p[static_cast<std::size_t>(cls)] > bestP) {
      bestP = p[static_cast<std::size_t>(cls)];
      best = z;
    }
  }
  return best;
}

int AiScoresModel::suspiciousCount() const {
  int n = 0;
  for (int z = 0; z < sliceCount(); ++z) n += suspicious(z) ? 1 : 0;
  return n;
}

void AiScoresModel::setHeatmapClass(int cls) {
  if (cls < 0) cls = -1;
  if (cls == heatmapClass_) return;
  heatmapClass_ = cls;
  emit heatmapClassChanged(cls);
}

bool AiScoresModel::noHeatmapByDesign(int slice) const {
  return heatmapClass_ < 0 && inf::calledNormal(diagnosis(slice), facts_.classes);
}

const inf::Heatmap* AiScoresModel::shownHeatmap(int slice) const {
  const inf::Heatmap* h = heatmap(slice);  // null while withheld
  if (!h || noHeatmapByDesign(slice)) return nullptr;
  const int wanted = heatmapClass_ >= 0 ? heatmapClass_ : inf::topClassIndex(diagnosis(slice), facts_.classes);
  return wanted < 0 || h->class_index == wanted ? h : nullptr;
}

std::string AiScoresModel::heatmapNote(int slice, bool heatmapOn) const {
  // While withheld the banner says why there is no map; "called normal" would give away the withheld score.
  if (!heatmapOn || withheld() || !noHeatmapByDesign(slice)) return "";
  return "No map: slice called normal (pick a class to see one)";
}

}  // namespace lunglens::ui::ai
