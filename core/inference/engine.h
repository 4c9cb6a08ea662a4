#pragma once
// The inference engine: one worker thread owning the models scores every slice of the open series, nearest to the
// focus slice first, in small batches; explains slices with Grad-CAM (the focus slice first); runs the
// manifestation model on slices whose COVID probability passes the threshold (and on demand). Results stream into
// a thread-safe ResultStore and out through a listener. Opening another series or closing this one cancels the
// rest: at most the batch in flight finishes (batches are sized to take ~target_batch_ms), and its results are
// dropped. Plain C++: the UI wraps it (listener -> queued signal).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/inference/model.h"
#include "core/inference/result_store.h"
#include "core/inference/work_queue.h"
#include "core/volume/volume.h"

namespace lunglens::core::inference {

struct EngineOptions {
  int threads = 0;               // LibTorch intra-op threads; 0 = cores - 1 (at least 1), keeping one for the UI
  int max_batch = 16;            // upper bound on images per forward
  double target_batch_ms = 80;   // batches sized to about this long, so cancelling waits at most about this
  bool heatmap_focus = true;     // Grad-CAM of the focus slice (predicted class) whenever the focus moves there
  bool heatmap_all = false;      // Grad-CAM of every slice (for exports such as the CLI's --heatmaps)
  bool manifestation_gate = true;  // run the manifestation model on slices passing the COVID threshold
};

struct EngineEvent {
  enum class Kind {
    Diagnosis,             // result.diagnosis is new
    Manifestation,         // result.manifestation is new
    DiagnosisHeatmap,      // result.diagnosis_heatmap is new
    ManifestationHeatmap,  // result.manifestation_heatmap is new
    AllScored,             // every slice diagnosed and every gated manifestation done (once per series)
    Error,                 // message says what failed; the engine goes on with other work
  };
  Kind kind = Kind::Diagnosis;
  std::string series_uid;
  int slice = -1;
  SliceResult result;  // the slice's whole result after this change
  std::string message;
};

struct EngineProgress {
  int slices = 0;     // in the open series
  int diagnosed = 0;  // scored so far
  bool idle = true;   // nothing queued or running
};

class InferenceEngine {
 public:
  using Listener = std::function<void(const EngineEvent&)>;

  // `manifestation` may be null (no manifestation model installed).
  InferenceEngine(ModelPtr diagnosis, ModelPtr manifestation, EngineOptions options = {});
  ~InferenceEngine();  // cancels and joins the worker
  InferenceEngine(const InferenceEngine&) = delete;
  InferenceEngine& operator=(const InferenceEngine&) = delete;

  // Called on the worker thread, never for a series that is no longer open once closeSeries/openSeries returned.
  // The listener may call the engine (setFocus, request...), but should return quickly.
  void setListener(Listener listener);

  // Starts on a series (closing the previous one). The volume may still be loading: slices are taken as they
  // become ready (Volume::sliceReady). The focus defaults to the middle slice.
  void openSeries(const std::string& series_uid, volume::VolumePtr volume, int focus_slice = -1);
  void closeSeries();
  std::string openSeriesUid() const;
  void setFocus(int slice);

  // On demand, ahead of everything else.
  void requestManifestation(int slice);
  void requestHeatmap(int slice, Task model = Task::Diagnosis, int class_index = -1);

  const ResultStore& results() const;
  EngineProgress progress() const;
  // Blocks until the open series has nothing queued or running (true), or the series is closed/replaced (false).
  bool waitUntilIdle() const;
  // Blocks until the worker is not running any batch (used to measure how quickly cancelling frees it).
  void waitForWorkerFree() const;

  const Model& diagnosisModel() const;
  const Model* manifestationModel() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lunglens::core::inference
