#include "core/inference/series_scoring.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/common/error.h"
#include "core/dicom/load.h"

namespace lunglens::core::inference {

struct SeriesScorer::State {
  InferenceEngine engine;
  std::mutex mutex;
  std::string first_error;
  std::function<void(int, int)> progress;
  std::atomic<int> scored{0};
  std::atomic<int> total{0};
  State(ModelPtr d, ModelPtr m, EngineOptions o) : engine(std::move(d), std::move(m), o) {}
};

SeriesScorer::SeriesScorer(ModelPtr diagnosis, ModelPtr manifestation, const SeriesScoringOptions& options)
    : diagnosis_(std::move(diagnosis)), manifestation_(std::move(manifestation)), options_(options) {
  if (!diagnosis_) throw InternalError("SeriesScorer needs a diagnosis model");
  EngineOptions engine;
  engine.threads = options_.threads;
  engine.heatmap_focus = false;
  engine.heatmap_all = options_.heatmap_all;
  state_ = std::make_unique<State>(diagnosis_, manifestation_, engine);
  state_->engine.setListener([s = state_.get()](const EngineEvent& event) {
    if (event.kind == EngineEvent::Kind::Error) {
      std::lock_guard<std::mutex> lock(s->mutex);
      if (s->first_error.empty()) s->first_error = event.message;
    }
    if (event.kind != EngineEvent::Kind::Diagnosis) return;
    const int n = ++s->scored;
    std::function<void(int, int)> progress;
    {
      std::lock_guard<std::mutex> lock(s->mutex);
      progress = s->progress;
    }
    if (progress) progress(n, s->total);
  });
}

SeriesScorer::~SeriesScorer() = default;

void SeriesScorer::begin(const std::function<void(int, int)>& progress, int total) {
  State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.first_error.clear();
    s.progress = progress;
  }
  s.scored = 0;
  s.total = total;
}

SeriesScores SeriesScorer::score(const dicom::SeriesInfo& series, const CancelToken& cancel,
                                 const std::function<void(int, int)>& progress) {
  begin(progress, static_cast<int>(series.slices.size()));
  const auto volume = dicom::allocateVolume(series);
  // The engine scores slices as the loader publishes them.
  state_->engine.openSeries(series.series_uid, volume, volume->slices() / 2);
  try {
    dicom::LoadOptions load;
    load.threads = options_.threads;
    load.cancel = cancel;
    dicom::fillVolume(series, *volume, load);
  } catch (...) {
    state_->engine.closeSeries();
    throw;
  }
  return finish(series.series_uid, volume, {}, cancel);
}

SeriesScores SeriesScorer::scoreVolume(const std::string& series_uid, volume::VolumePtr volume,
                                       const std::vector<int>& heatmap_slices, const CancelToken& cancel,
                                       const std::function<void(int, int)>& progress) {
  begin(progress, volume->slices());
  state_->engine.openSeries(series_uid, volume, volume->slices() / 2);
  return finish(series_uid, std::move(volume), heatmap_slices, cancel);
}

SeriesScores SeriesScorer::finish(const std::string& series_uid, volume::VolumePtr volume,
                                  const std::vector<int>& heatmap_slices, const CancelToken& cancel) {
  State& s = *state_;
  // Poll rather than block, so a cancel stops the work within a batch.
  auto waitIdle = [&]() {
    while (!s.engine.progress().idle) {
      cancel.throwIfCancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    s.engine.waitUntilIdle();
  };
  try {
    waitIdle();
    for (int z : heatmap_slices) s.engine.requestHeatmap(z);
    if (!heatmap_slices.empty()) waitIdle();
  } catch (...) {
    s.engine.closeSeries();
    throw;
  }
  std::string error;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    error = s.first_error;
    s.progress = nullptr;
  }
  SeriesScores out;
  out.volume = std::move(volume);
  out.slices = s.engine.results().all(series_uid);
  s.engine.closeSeries();
  if (!error.empty()) throw InputError(series_uid, "AI scoring failed: " + error);

  out.verdict = verdictOf(out.slices, diagnosis_->manifest());
  return out;
}

StudyVerdict verdictOf(const std::vector<SliceResult>& slices, const Manifest& manifest, const VerdictRule& rule) {
  std::vector<std::vector<float>> probabilities;
  for (const auto& r : slices) {
    if (r.diagnosis.empty()) throw InternalError("slice " + std::to_string(r.slice) + " was not scored");
    probabilities.push_back(r.diagnosis);
  }
  return studyVerdict(probabilities, manifest, rule);
}

OodSummary oodOf(const std::vector<SliceResult>& slices, bool guarded, const std::vector<std::uint8_t>& eligible) {
  std::vector<bool> flags;
  for (const auto& r : slices) {
    const bool counts = eligible.empty() ||
                        (r.slice >= 0 && r.slice < static_cast<int>(eligible.size()) && eligible[static_cast<std::size_t>(r.slice)]);
    if (r.ood && counts) flags.push_back(r.ood->out_of_distribution);
  }
  return summarizeOod(guarded, flags);
}

}  // namespace lunglens::core::inference
