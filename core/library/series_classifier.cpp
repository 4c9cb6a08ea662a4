#include "core/library/series_classifier.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/inference/engine.h"
#include "core/inference/verdict.h"
#include "core/library/gradcam_summary.h"

namespace lunglens::core::library {

namespace inf = inference;

struct SeriesClassifier::Engine {
  inf::InferenceEngine engine;
  std::mutex mutex;
  std::string first_error;
  std::function<void(int, int)> progress;
  std::atomic<int> scored{0};
  int total = 0;
  Engine(inf::ModelPtr d, inf::ModelPtr m, inf::EngineOptions o) : engine(std::move(d), std::move(m), o) {}
};

SeriesRecord seriesRecordWithoutScores(const dicom::SeriesInfo& series) {
  SeriesRecord r;
  r.series_uid = series.series_uid;
  r.modality = series.modality;
  r.description = series.series_description;
  r.rows = series.rows;
  r.cols = series.cols;
  r.pixel_spacing_mm[0] = series.pixel_spacing_mm[0];
  r.pixel_spacing_mm[1] = series.pixel_spacing_mm[1];
  if (!series.slices.empty())
    r.folder = std::filesystem::path(series.slices.front().path).parent_path().string();
  for (std::size_t i = 0; i < series.slices.size(); ++i) {
    const auto& ref = series.slices[i];
    SliceRecord s;
    s.index = static_cast<int>(i);
    s.sop_instance_uid = ref.sop_instance_uid;
    s.file = ref.path;
    s.frame = ref.frame;
    s.position_mm = ref.position_along_normal_mm;
    r.slices.push_back(std::move(s));
  }
  return r;
}

SeriesClassifier::SeriesClassifier(inf::ModelPtr diagnosis, inf::ModelPtr manifestation, int threads)
    : diagnosis_(std::move(diagnosis)), manifestation_(std::move(manifestation)), threads_(threads) {
  if (!diagnosis_) return;
  inf::EngineOptions options;
  options.threads = threads_;
  options.heatmap_focus = false;
  options.heatmap_all = true;
  engine_ = std::make_unique<Engine>(diagnosis_, manifestation_, options);
  engine_->engine.setListener([e = engine_.get()](const inf::EngineEvent& event) {
    if (event.kind == inf::EngineEvent::Kind::Error) {
      std::lock_guard<std::mutex> lock(e->mutex);
      if (e->first_error.empty()) e->first_error = event.message;
    }
    if (event.kind != inf::EngineEvent::Kind::Diagnosis) return;
    const int n = ++e->scored;
    std::function<void(int, int)> progress;
    {
      std::lock_guard<std::mutex> lock(e->mutex);
      progress = e->progress;
    }
    if (progress) progress(n, e->total);
  });
}

SeriesClassifier::~SeriesClassifier() = default;

namespace {

std::map<std::string, double> named(const std::vector<std::string>& classes, const std::vector<float>& p) {
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < classes.size() && i < p.size(); ++i) out[classes[i]] = std::clamp(double(p[i]), 0.0, 1.0);
  return out;
}

}  // namespace

SeriesRecord SeriesClassifier::classify(const dicom::SeriesInfo& series, const CancelToken& cancel,
                                        const std::function<void(int, int)>& progress) {
  SeriesRecord record = seriesRecordWithoutScores(series);
  if (!engine_ || series.slices.empty()) return record;
  Engine& e = *engine_;
  {
    std::lock_guard<std::mutex> lock(e.mutex);
    e.first_error.clear();
    e.progress = progress;
  }
  e.scored = 0;
  e.total = static_cast<int>(series.slices.size());

  const auto volume = dicom::allocateVolume(series);
  e.engine.openSeries(series.series_uid, volume, volume->slices() / 2);
  try {
    dicom::LoadOptions load;
    load.threads = threads_;
    load.cancel = cancel;
    dicom::fillVolume(series, *volume, load);
    // Poll rather than block, so a cancel stops the import within a batch.
    while (!e.engine.progress().idle) {
      cancel.throwIfCancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    e.engine.waitUntilIdle();
  } catch (...) {
    e.engine.closeSeries();
    throw;
  }
  {
    std::lock_guard<std::mutex> lock(e.mutex);
    if (!e.first_error.empty()) {
      e.engine.closeSeries();
      throw InputError(series.series_uid, "AI scoring failed: " + e.first_error);
    }
  }

  const auto& dm = diagnosis_->manifest();
  record.diagnosis_model = {dm.name, dm.version, dm.provenance.synthetic};
  if (manifestation_) {
    const auto& mm = manifestation_->manifest();
    record.manifestation_model = {mm.name, mm.version, mm.provenance.synthetic};
  }
  const std::vector<std::string> mclasses =
      manifestation_ ? manifestation_->manifest().classes : std::vector<std::string>{};
  std::vector<std::vector<float>> probs;
  const auto results = e.engine.results().all(series.series_uid);
  e.engine.closeSeries();
  for (const auto& r : results) {
    if (r.diagnosis.empty()) throw InternalError("slice " + std::to_string(r.slice) + " was not scored");
    SliceRecord& s = record.slices[static_cast<std::size_t>(r.slice)];
    s.diagnosis = named(dm.classes, r.diagnosis);
    s.manifestation = named(mclasses, r.manifestation);
    probs.push_back(r.diagnosis);
    // Grad-CAM of what the model thinks is abnormal; a normal slice's map explains nothing worth keeping.
    if (!r.diagnosis_heatmap.empty() && mostProbable(s.diagnosis) != "normal")
      s.gradcam = summariseGradcam(r.diagnosis_heatmap, dm.input, volume->geometry(), r.slice);
  }
  record.verdict = inf::studyVerdict(probs, dm).verdict;
  return record;
}

}  // namespace lunglens::core::library
