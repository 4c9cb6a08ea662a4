#include "core/inference/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/common/error.h"
#include "core/inference/preprocess.h"

namespace lunglens::core::inference {
namespace {

using Clock = std::chrono::steady_clock;

bool isHeatmap(JobKind k) { return k == JobKind::DiagnosisHeatmap || k == JobKind::ManifestationHeatmap; }

}  // namespace

struct InferenceEngine::Impl {
  ModelPtr diagnosis, manifestation;
  EngineOptions options;
  ResultStore store;

  mutable std::mutex mutex;             // guards everything below up to `listener_mutex`
  mutable std::condition_variable wake;  // worker: new work, focus moved, stop
  mutable std::condition_variable idle;  // waiters: batch finished, queue drained, series changed
  WorkQueue queue;
  std::string uid;
  volume::VolumePtr volume;
  std::atomic<std::uint64_t> generation{0};  // bumped whenever the open series changes
  bool running = false;
  bool stop = false;
  bool first_batch = true;
  bool all_scored_sent = false;
  double diagnosis_ms_per_image = 0.0, manifestation_ms_per_image = 0.0;  // running averages

  std::vector<float> feature_buffer;  // pooled features of the batch (worker thread only)
  std::vector<float> input_buffer;  // preprocessed batch, owned by the worker thread

  std::mutex listener_mutex;  // held while the listener runs; closing waits on it
  Listener listener;
  std::thread::id worker_id;
  std::thread worker;

  double gate() const {
    const double fallback = diagnosis->manifest().threshold("covid", 0.5);
    return manifestation ? manifestation->manifest().threshold("covid", fallback) : fallback;
  }

  // Caller holds `mutex`.
  void resetSeries(const std::string& new_uid, volume::VolumePtr new_volume, int focus) {
    ++generation;
    if (!uid.empty()) store.close(uid);
    queue.clear();
    uid = new_uid;
    volume = std::move(new_volume);
    first_batch = true;
    all_scored_sent = false;
    if (!volume) return;
    const int n = volume->slices();
    store.open(uid, n);
    focus = focus < 0 ? n / 2 : std::clamp(focus, 0, std::max(0, n - 1));
    queue.setFocus(focus);
    for (int z = 0; z < n; ++z) {
      queue.push({JobKind::Diagnosis, z, -1, false});
      if (options.heatmap_all) queue.push({JobKind::DiagnosisHeatmap, z, -1, false});
    }
    if (options.heatmap_focus && n > 0) queue.push({JobKind::DiagnosisHeatmap, focus, -1, false});
  }

  // After closing or replacing a series: wait until no listener call for it is running (unless we are inside one).
  void quietListener() {
    if (std::this_thread::get_id() == worker_id) return;
    std::lock_guard<std::mutex> lock(listener_mutex);
  }

  void emit(std::uint64_t gen, EngineEvent event) {
    std::lock_guard<std::mutex> lock(listener_mutex);
    if (gen != generation.load() || !listener) return;
    listener(event);
  }

  // Stores a change for (series, slice) unless the series changed meanwhile; then tells the listener.
  void deliver(std::uint64_t gen, const std::string& series, int slice, EngineEvent::Kind kind,
               const std::function<void(SliceResult&)>& change) {
    std::optional<SliceResult> updated;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (gen != generation.load()) return;
      updated = store.update(series, slice, change);
      if (!updated) return;
      if (kind == EngineEvent::Kind::Diagnosis && manifestation && options.manifestation_gate) {
        const int covid = diagnosis->manifest().classIndex("covid");
        if (covid >= 0 && updated->diagnosis[static_cast<std::size_t>(covid)] >= gate() &&
            updated->manifestation.empty())
          queue.push({JobKind::Manifestation, slice, -1, false});
      }
    }
    emit(gen, EngineEvent{kind, series, slice, std::move(*updated), {}});
  }

  int batchSize(JobKind kind) const {
    if (isHeatmap(kind) || first_batch) return 1;  // the focus slice's first score comes out alone, fast
    const double ms = kind == JobKind::Diagnosis ? diagnosis_ms_per_image : manifestation_ms_per_image;
    if (ms <= 0.0) return 1;
    return std::clamp(static_cast<int>(options.target_batch_ms / ms), 1, std::max(1, options.max_batch));
  }

  void run(const std::vector<Job>& jobs, std::uint64_t gen, const std::string& series,
           const volume::VolumePtr& vol) {
    const JobKind kind = jobs.front().kind;
    const bool diag = kind == JobKind::Diagnosis || kind == JobKind::DiagnosisHeatmap;
    const Model* model = diag ? diagnosis.get() : manifestation.get();
    if (!model) return;
    const auto& geom = vol->geometry();
    const std::size_t per = model->valuesPerImage();
    std::vector<float>& inputs = input_buffer;  // reused batch after batch (worker thread only)
    inputs.resize(per * jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i)
      preprocessSlice(vol->slice(jobs[i].slice), geom.rows, geom.cols, model->manifest().input,
                      inputs.data() + i * per);

    if (isHeatmap(kind)) {
      const auto explained = model->explain(inputs.data(), jobs.front().class_index);
      deliver(gen, series, jobs.front().slice,
              diag ? EngineEvent::Kind::DiagnosisHeatmap : EngineEvent::Kind::ManifestationHeatmap,
              [&](SliceResult& r) { (diag ? r.diagnosis_heatmap : r.manifestation_heatmap) = explained.heatmap; });
      return;
    }
    const auto start = Clock::now();
    // The diagnosis model's OOD guard scores the same forward's pooled features (no second pass).
    const OodGuard* guard = diag ? model->oodGuard() : nullptr;
    std::vector<float>& feats = feature_buffer;
    const std::vector<float> probs =
        model->predict(inputs.data(), static_cast<int>(jobs.size()), guard ? &feats : nullptr);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / jobs.size();
    {
      std::lock_guard<std::mutex> lock(mutex);
      double& avg = diag ? diagnosis_ms_per_image : manifestation_ms_per_image;
      avg = avg <= 0.0 ? ms : 0.7 * avg + 0.3 * ms;
    }
    const std::size_t K = model->manifest().classes.size();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      std::vector<float> p(probs.begin() + i * K, probs.begin() + (i + 1) * K);
      const double ood = guard ? guard->score(feats.data() + i * static_cast<std::size_t>(guard->dim)) : 0.0;
      deliver(gen, series, jobs[i].slice, diag ? EngineEvent::Kind::Diagnosis : EngineEvent::Kind::Manifestation,
              [&](SliceResult& r) {
                (diag ? r.diagnosis : r.manifestation) = std::move(p);
                if (guard) r.ood = OodScore{ood, guard->outOfDistribution(ood)};
              });
    }
  }

  void loop() {
    configureInferenceThreads(options.threads);  // per thread too (OpenMP keeps the count per thread)
    std::unique_lock<std::mutex> lock(mutex);
    while (!stop) {
      if (!volume || queue.empty()) {
        idle.notify_all();
        wake.wait(lock);
        continue;
      }
      const auto ready = [vol = volume](int z) { return vol->sliceReady(z); };
      const auto best = queue.ordered();
      const JobKind kind = best.front().kind;
      std::vector<Job> jobs = queue.popBatch(batchSize(kind), ready);
      if (jobs.empty()) {  // the slices still queued are still loading
        wake.wait_for(lock, std::chrono::milliseconds(5));
        continue;
      }
      const std::uint64_t gen = generation.load();
      const std::string series = uid;
      const volume::VolumePtr vol = volume;
      running = true;
      first_batch = first_batch && jobs.front().kind != JobKind::Diagnosis;
      lock.unlock();
      try {
        run(jobs, gen, series, vol);
      } catch (const std::exception& e) {
        emit(gen, EngineEvent{EngineEvent::Kind::Error, series, jobs.front().slice, {}, e.what()});
      }
      lock.lock();
      running = false;
      if (gen == generation.load() && !all_scored_sent && volume &&
          store.diagnosedCount(uid) == volume->slices() && !queue.containsKind(JobKind::Diagnosis) &&
          !queue.containsKind(JobKind::Manifestation)) {
        all_scored_sent = true;
        lock.unlock();
        emit(gen, EngineEvent{EngineEvent::Kind::AllScored, series, -1, {}, {}});
        lock.lock();
      }
      idle.notify_all();
    }
    idle.notify_all();
  }
};

InferenceEngine::InferenceEngine(ModelPtr diagnosis, ModelPtr manifestation, EngineOptions options)
    : impl_(std::make_unique<Impl>()) {
  if (!diagnosis) throw InternalError("InferenceEngine needs a diagnosis model");
  if (diagnosis->manifest().task != Task::Diagnosis)
    throw InputError(diagnosis->dir().string(), "not a diagnosis model (manifest field 'task')");
  if (manifestation && manifestation->manifest().task != Task::Manifestation)
    throw InputError(manifestation->dir().string(), "not a manifestation model (manifest field 'task')");
  impl_->diagnosis = std::move(diagnosis);
  impl_->manifestation = std::move(manifestation);
  impl_->options = options;
  impl_->worker = std::thread([impl = impl_.get()] { impl->loop(); });
  impl_->worker_id = impl_->worker.get_id();
}

InferenceEngine::~InferenceEngine() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->stop = true;
    ++impl_->generation;
  }
  impl_->wake.notify_all();
  impl_->worker.join();
}

void InferenceEngine::setListener(Listener listener) {
  std::lock_guard<std::mutex> lock(impl_->listener_mutex);
  impl_->listener = std::move(listener);
}

void InferenceEngine::openSeries(const std::string& series_uid, volume::VolumePtr volume, int focus_slice) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->resetSeries(series_uid, std::move(volume), focus_slice);
  }
  impl_->wake.notify_all();
  impl_->idle.notify_all();
  impl_->quietListener();
}

void InferenceEngine::closeSeries() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->resetSeries("", nullptr, -1);
  }
  impl_->wake.notify_all();
  impl_->idle.notify_all();
  impl_->quietListener();
}

std::string InferenceEngine::openSeriesUid() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->uid;
}

void InferenceEngine::setFocus(int slice) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (!impl_->volume || slice < 0 || slice >= impl_->volume->slices()) return;
    impl_->queue.setFocus(slice);
    if (impl_->options.heatmap_focus && !impl_->queue.contains(JobKind::DiagnosisHeatmap, slice)) {
      const auto r = impl_->store.get(impl_->uid, slice);
      if (r && r->diagnosis_heatmap.empty()) impl_->queue.push({JobKind::DiagnosisHeatmap, slice, -1, false});
    }
  }
  impl_->wake.notify_all();
}

void InferenceEngine::requestManifestation(int slice) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (!impl_->manifestation || !impl_->volume || slice < 0 || slice >= impl_->volume->slices()) return;
    impl_->queue.push({JobKind::Manifestation, slice, -1, true});
  }
  impl_->wake.notify_all();
}

void InferenceEngine::requestHeatmap(int slice, Task model, int class_index) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (!impl_->volume || slice < 0 || slice >= impl_->volume->slices()) return;
    if (model == Task::Manifestation && !impl_->manifestation) return;
    const JobKind kind = model == Task::Diagnosis ? JobKind::DiagnosisHeatmap : JobKind::ManifestationHeatmap;
    impl_->queue.push({kind, slice, class_index, true});
  }
  impl_->wake.notify_all();
}

const ResultStore& InferenceEngine::results() const { return impl_->store; }

EngineProgress InferenceEngine::progress() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  EngineProgress p;
  p.slices = impl_->volume ? impl_->volume->slices() : 0;
  p.diagnosed = impl_->store.diagnosedCount(impl_->uid);
  p.idle = impl_->queue.empty() && !impl_->running;
  return p;
}

bool InferenceEngine::waitUntilIdle() const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const std::uint64_t gen = impl_->generation.load();
  impl_->idle.wait(lock, [&] {
    return gen != impl_->generation.load() || impl_->stop || (impl_->queue.empty() && !impl_->running);
  });
  return gen == impl_->generation.load() && !impl_->stop;
}

void InferenceEngine::waitForWorkerFree() const {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->idle.wait(lock, [&] { return !impl_->running; });
}

const Model& InferenceEngine::diagnosisModel() const { return *impl_->diagnosis; }
const Model* InferenceEngine::manifestationModel() const { return impl_->manifestation.get(); }

}  // namespace lunglens::core::inference
