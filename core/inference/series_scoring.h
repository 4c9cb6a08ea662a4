#pragma once
// Headless "score a series": load it, score every slice with the diagnosis model (and the manifestation model on
// slices passing the COVID gate), optionally Grad-CAM every slice, and apply the study verdict. ONE path for
// `lunglens-cli classify` and the library import, so both fail the same way: a model that fails on this series is
// an InputError naming the series (exit 1), a slice that cannot be decoded an InputError naming its file.
// One engine (models loaded once, one worker) serves every series a SeriesScorer scores.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/inference/engine.h"
#include "core/inference/ood_guard.h"
#include "core/inference/verdict.h"

namespace lunglens::core::inference {

struct SeriesScores {
  volume::VolumePtr volume;           // the loaded series
  std::vector<SliceResult> slices;    // every slice, by index, each with its diagnosis probabilities
  StudyVerdict verdict;
};

struct SeriesScoringOptions {
  int threads = 0;             // decoding and LibTorch threads; 0 = the engine's and loader's defaults
  bool heatmap_all = false;    // Grad-CAM of every slice (predicted class)
};

// The study verdict of scored slices (every one must carry its diagnosis), under `rule` (e.g. the lung mask's
// eligibility, which callers holding a lung analysis pass).
StudyVerdict verdictOf(const std::vector<SliceResult>& slices, const Manifest& manifest, const VerdictRule& rule = {});

// The diagnosis model's OOD guard over scored slices (summarizeOod), counting only the slices `eligible` marks
// (per slice index, 1 = has lung; empty = every slice), as the verdict does.
OodSummary oodOf(const std::vector<SliceResult>& slices, bool guarded, const std::vector<std::uint8_t>& eligible = {});

class SeriesScorer {
 public:
  // `diagnosis` must not be null; `manifestation` may be.
  SeriesScorer(ModelPtr diagnosis, ModelPtr manifestation, const SeriesScoringOptions& options = {});
  ~SeriesScorer();
  SeriesScorer(const SeriesScorer&) = delete;
  SeriesScorer& operator=(const SeriesScorer&) = delete;

  const Model& diagnosisModel() const { return *diagnosis_; }
  const Model* manifestationModel() const { return manifestation_.get(); }

  // `progress(scored, total)` runs on the engine's thread. Throws Cancelled when `cancel` fires (the engine is
  // stopped before it returns), InputError as above.
  SeriesScores score(const dicom::SeriesInfo& series, const CancelToken& cancel = {},
                     const std::function<void(int scored, int total)>& progress = {});
  // The same for a volume already loaded (the exports have it), with Grad-CAM of `heatmap_slices` as well.
  SeriesScores scoreVolume(const std::string& series_uid, volume::VolumePtr volume,
                           const std::vector<int>& heatmap_slices = {}, const CancelToken& cancel = {},
                           const std::function<void(int scored, int total)>& progress = {});

 private:
  void begin(const std::function<void(int, int)>& progress, int total);
  // Waits for the engine (and then the asked heatmaps), collects the results, closes the series, applies the rule.
  SeriesScores finish(const std::string& series_uid, volume::VolumePtr volume, const std::vector<int>& heatmap_slices,
                      const CancelToken& cancel);

  struct State;
  ModelPtr diagnosis_, manifestation_;
  SeriesScoringOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace lunglens::core::inference
