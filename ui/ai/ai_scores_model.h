#pragma once
// The presenter model of the AI panel: per-slice scores of the open series as they stream in, and everything the
// panel, the score curve and the navigation keys show, computed from plain values (testable without a display).
// Lives on the UI thread. Results are keyed by series UID: a result for another series is dropped, never shown.
#include <QObject>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/inference/manifest.h"
#include "core/inference/ood_guard.h"
#include "core/inference/result_store.h"
#include "core/inference/verdict.h"

namespace lunglens::ui::ai {

// What the panel says about the models in use (copied from their manifests).
struct ModelFacts {
  std::vector<std::string> classes;                // diagnosis classes, logit order
  std::vector<std::string> manifestation_classes;  // empty without a manifestation model
  std::map<std::string, double> thresholds;        // diagnosis thresholds by class (covid at least)
  std::map<std::string, double> manifestation_thresholds;
  double manifestation_gate = 0.5;  // P(covid) from which the manifestation model runs
  std::string name, version, architecture, training_data, date;
  std::string manifestation_name, manifestation_version;
  bool synthetic = true;
  bool ood_guarded = false;  // the diagnosis bundle has an out-of-distribution guard (ood_guard.h)
};
ModelFacts modelFactsFrom(const core::inference::Manifest& diagnosis, const core::inference::Manifest* manifestation);

// Display names: "COVID-19", "Other pneumonia", "Normal", "Ground-glass opacity", "Consolidation", "Fibrotic streaks".
std::string classLabel(const std::string& cls);

struct Bar {
  std::string cls;    // class name as in the manifest
  std::string label;  // for the reader
  float probability = 0.0f;
  double threshold = 0.5;
  bool over_threshold = false;
};

struct CurvePoint {
  int slice = 0;
  float probability = 0.0f;
};

class AiScoresModel : public QObject {
  Q_OBJECT
 public:
  explicit AiScoresModel(QObject* parent = nullptr);

  // A new series under the given models: forgets every score. Threshold resets to the model's covid threshold.
  void openSeries(const std::string& series_uid, int slices, const ModelFacts& facts);
  void clear();  // no series (and no model facts)
  // Applies a result. Returns false (and changes nothing) when it belongs to another series or slice range.
  bool applyResult(const std::string& series_uid, const core::inference::SliceResult& result);
  void setCurrentSlice(int slice);
  void setVerdictThreshold(double threshold);      // the covid decision threshold, in (0, 1)
  void setManifestationFilter(int manifestation);  // index into manifestation classes, -1 = no filter
  // Which slices count (1) for the verdict, N/P and J: from the lung analysis, 0 on slices without lung (neck,
  // upper abdomen). Empty (the default, and after openSeries / clear): every slice counts. Another length than the
  // series' is ignored (treated as empty).
  void setSliceEligibility(std::vector<std::uint8_t> eligible);
  bool eligible(int slice) const;
  int ineligibleCount() const;
  // The reader asked to see the scores of a series the guard says is unlike the training data (the warning stays).
  void setShowAnyway(bool show);

  // State
  const std::string& seriesUid() const { return uid_; }
  bool hasSeries() const { return !uid_.empty(); }
  const ModelFacts& facts() const { return facts_; }
  int sliceCount() const { return static_cast<int>(diagnosis_.size()); }
  int scoredCount() const { return scored_; }
  bool allScored() const { return hasSeries() && scored_ == sliceCount(); }
  int currentSlice() const { return current_; }
  double verdictThreshold() const { return threshold_; }
  int manifestationFilter() const { return filter_; }
  bool scored(int slice) const;
  const std::vector<float>& diagnosis(int slice) const;      // empty until scored
  const std::vector<float>& manifestation(int slice) const;  // empty unless computed
  // The slice's latest diagnosis Grad-CAM (null until one arrived), whichever class it explains.
  const core::inference::Heatmap* heatmap(int slice) const;

  // The OOD guard over the scored slices, and whether the scores are withheld because of it: then there is no
  // verdict, no suspicious-slice navigation and no heatmap until the reader chooses to show them anyway.
  core::inference::OodSummary oodSummary() const;
  bool outOfDistribution() const { return oodSummary().out_of_distribution; }
  bool withheld() const { return !showAnyway_ && outOfDistribution(); }
  bool showAnyway() const { return showAnyway_; }
  std::string oodWarning() const;  // empty unless the series is out of distribution

  // The panel's bars for a slice (empty until scored). Manifestation bars only for COVID-positive slices.
  std::vector<Bar> diagnosisBars(int slice) const;
  std::vector<Bar> manifestationBars(int slice) const;
  // What the diagnosis bars say while they are empty: why (withheld) or that the slice is not scored yet.
  std::string emptyBarsText() const;
  // One point per scored slice for diagnosis class `cls` (index), in slice order; unscored slices are gaps.
  std::vector<CurvePoint> curve(int cls) const;
  // The study verdict over the slices scored so far, with the adjustable covid threshold.
  core::inference::StudyVerdict verdict() const;
  // One line for the reader, e.g. "COVID-19 pattern" and the rule's numbers in `details`.
  std::string verdictHeadline() const;
  std::string verdictDetails() const;

  // Never on a slice that is not eligible (no lung). A slice is suspicious when a disease class passes its threshold
  // (covid: the adjustable one); with a manifestation filter, its manifestation must also pass that class's threshold.
  bool suspicious(int slice) const;
  // The next suspicious slice from `from` going in `step` (+1 / -1) direction, not `from` itself.
  std::optional<int> nextSuspicious(int from, int step) const;
  // The scored eligible slice with the highest probability of class `cls` (default covid).
  std::optional<int> highestScoring(int cls = -1) const;
  int suspiciousCount() const;
  int covidIndex() const;
  // Whether the panel's navigation buttons work: P / N with at least one suspicious slice, J once a slice is scored
  // and the scores are not withheld.
  bool canGoToSuspicious() const { return suspiciousCount() > 0; }
  bool canGoToHighest() const { return scoredCount() > 0 && !withheld(); }

  // The heatmap: which diagnosis class it explains, as the reader chose (index into the classes; -1, the default:
  // the predicted class). Kept across series while the new model has that class, else back to -1; not reset by
  // clear().
  void setHeatmapClass(int cls);
  int heatmapClass() const { return heatmapClass_; }
  // "Predicted class" chosen and `slice` called normal: no map, by design (evidence for "normal" spread over
  // healthy lung reads as a finding; a radiologist wants the map only where the model sees disease).
  bool noHeatmapByDesign(int slice) const;
  // Whether a map is to come on `slice` with the heatmap on: none while the scores are withheld or by design.
  bool heatmapToCome(int slice) const { return !withheld() && !noHeatmapByDesign(slice); }
  // The map to show on `slice` with the heatmap on (null if none): the slice's latest map if it explains the
  // chosen class, or the predicted one once the slice is scored (before that, whichever class the engine chose);
  // never on a slice with no map by design, nor while the scores are withheld.
  const core::inference::Heatmap* shownHeatmap(int slice) const;
  // The line under the heatmap controls for `slice`: why no map is drawn, when that is by design; empty otherwise,
  // whenever the heatmap is off, and while the scores are withheld (the OOD banner says why; "called normal" would
  // reveal the withheld score).
  std::string heatmapNote(int slice, bool heatmapOn) const;

 signals:
  void seriesChanged();            // opened, cleared
  void scoresChanged(int slice);   // one slice's scores changed
  void heatmapChanged(int slice);  // a new Grad-CAM for a slice
  void currentSliceChanged(int slice);
  void settingsChanged();  // threshold or filter
  void heatmapClassChanged(int cls);

 private:
  double thresholdOf(const std::string& cls) const;

  std::string uid_;
  ModelFacts facts_;
  std::vector<std::vector<float>> diagnosis_, manifestation_;
  std::vector<core::inference::Heatmap> heatmaps_;
  std::vector<signed char> ood_;  // per slice: -1 not scored by a guard, 0 like the training data, 1 unlike
  bool showAnyway_ = false;
  int scored_ = 0;
  int current_ = 0;
  double threshold_ = 0.5;
  int filter_ = -1;
  int heatmapClass_ = -1;
  std::vector<std::uint8_t> eligible_;  // empty: every slice
};

}  // namespace lunglens::ui::ai
