#pragma once
// The Qt side of the inference engine: loads model bundles off the UI thread, owns the engine, and turns its
// listener calls (made on the engine's worker thread) into queued calls on the UI thread. Events for any series
// other than the one open now are dropped here, so nothing late ever reaches the presenter models. The UI thread
// never waits on the engine except when a series is replaced (at most the batch in flight, ~60 ms).
#include <QObject>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "core/inference/engine.h"
#include "ui/common/async_job.h"

namespace lunglens::ui::ai {

struct LoadedModels {
  core::inference::ModelPtr diagnosis;
  core::inference::ModelPtr manifestation;  // may be null
  std::string note;                         // e.g. why the manifestation model is missing
};

class EngineAdapter : public QObject {
  Q_OBJECT
 public:
  explicit EngineAdapter(QObject* parent = nullptr);
  ~EngineAdapter() override;

  // Loads the bundles in the background (manifestation: empty = none), then replaces the engine and re-opens
  // the series that was open. Emits modelsReady or modelsFailed.
  void loadModels(const std::filesystem::path& diagnosis, const std::filesystem::path& manifestation);
  // Uses models already loaded (tests, benchmarks): replaces the engine at once.
  void setModels(LoadedModels models);
  bool loading() const { return load_.busy(); }
  bool hasModels() const { return engine_ != nullptr; }
  const core::inference::Model* diagnosisModel() const;
  const core::inference::Model* manifestationModel() const;

  // The series to score; remembered while models load. The volume may still be loading.
  void openSeries(const std::string& series_uid, core::volume::VolumePtr volume, int focus_slice);
  void closeSeries();
  // Stops scoring the open series (what arrived stays shown); rerun() scores it again from the start.
  void cancel();
  void rerun();
  const std::string& seriesUid() const { return uid_; }
  bool scoring() const;  // a series is open in the engine and not every slice is scored yet

  void setFocus(int slice);
  void requestHeatmap(int slice, int class_index);
  core::inference::EngineProgress progress() const;
  core::inference::InferenceEngine* engine() const { return engine_.get(); }

 signals:
  void modelsReady();
  void modelsFailed(const QString& message);
  void seriesOpened(const QString& series_uid);  // scoring (re)started: presenters reset their scores
  // On the UI thread, only for the open series.
  void engineEvent(const core::inference::EngineEvent& event);
  void scoringStopped();  // cancelled or closed

 private:
  void startEngine(LoadedModels models);
  void onEvent(int run, const core::inference::EngineEvent& event);

  std::unique_ptr<core::inference::InferenceEngine> engine_;
  LoadedModels models_;
  AsyncJob<LoadedModels> load_;
  std::string uid_;
  core::volume::VolumePtr volume_;
  int focus_ = -1;
  bool active_ = false;  // the engine has uid_ open
  bool allScored_ = false;
  int run_ = 0;
};

}  // namespace lunglens::ui::ai
