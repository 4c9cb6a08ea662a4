#include "ui/ai/engine_adapter.h"

#include <QMetaObject>

#include "core/inference/model.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

EngineAdapter::EngineAdapter(QObject* parent) : QObject(parent), load_(this) {}

EngineAdapter::~EngineAdapter() {
  load_.cancelAndWait();
  engine_.reset();  // joins the worker: no listener call can post to this object afterwards
}

void EngineAdapter::loadModels(const std::filesystem::path& diagnosis, const std::filesystem::path& manifestation) {
  decltype(load_)::Handlers handlers;
  handlers.done = [this](LoadedModels models) {
    startEngine(std::move(models));
    emit modelsReady();
  };
  handlers.failed = [this](const std::string& message) { emit modelsFailed(QString::fromStdString(message)); };
  load_.start(
      [diagnosis, manifestation](const core::CancelToken& token, const std::function<void(int)>&) {
        LoadedModels m;
        m.diagnosis = inf::Model::load(diagnosis);
        token.throwIfCancelled();
        if (!manifestation.empty()) {
          try {
            m.manifestation = inf::Model::load(manifestation);
          } catch (const std::exception& e) {
            // Diagnosis still works; the panel says why manifestations are missing.
            m.note = std::string("manifestation model not loaded: ") + e.what();
          }
        }
        return m;
      },
      std::move(handlers));
}

void EngineAdapter::setModels(LoadedModels models) {
  load_.cancel();
  startEngine(std::move(models));
  emit modelsReady();
}

void EngineAdapter::startEngine(LoadedModels models) {
  engine_.reset();  // cancels the old engine's work (at most one batch) and joins it
  models_ = std::move(models);
  inf::EngineOptions options;
  options.heatmap_focus = false;  // the AI panel asks for the focus slice's heatmap itself, for the chosen class
  engine_ = std::make_unique<inf::InferenceEngine>(models_.diagnosis, models_.manifestation, options);
  active_ = false;
  if (volume_) rerun();
}

const inf::Model* EngineAdapter::diagnosisModel() const { return models_.diagnosis.get(); }
const inf::Model* EngineAdapter::manifestationModel() const { return models_.manifestation.get(); }

void EngineAdapter::openSeries(const std::string& series_uid, core::volume::VolumePtr volume, int focus_slice) {
  uid_ = series_uid;
  volume_ = std::move(volume);
  focus_ = focus_slice;
  if (engine_) rerun();
}

void EngineAdapter::closeSeries() {
  uid_.clear();
  volume_.reset();
  if (engine_ && active_) engine_->closeSeries();
  active_ = false;
  emit scoringStopped();
}

void EngineAdapter::cancel() {
  if (!engine_ || !active_) return;
  engine_->closeSeries();
  active_ = false;
  emit scoringStopped();
}

void EngineAdapter::rerun() {
  if (!engine_ || !volume_) return;
  allScored_ = false;
  // A new run number for every (re)start: events of an earlier run still queued (same series, perhaps another
  // model) are told apart and dropped. Close first, so no old event is sent with the new number.
  if (active_) engine_->closeSeries();
  const int run = ++run_;
  engine_->setListener([this, run](const inf::EngineEvent& event) {
    // Worker thread: copy the event into a queued call; the UI thread decides whether it is still wanted.
    QMetaObject::invokeMethod(
        this, [this, run, event]() { onEvent(run, event); }, Qt::QueuedConnection);
  });
  active_ = true;
  emit seriesOpened(QString::fromStdString(uid_));
  engine_->openSeries(uid_, volume_, focus_);
}

bool EngineAdapter::scoring() const { return engine_ && active_ && !allScored_; }

void EngineAdapter::setFocus(int slice) {
  focus_ = slice;
  if (engine_ && active_) engine_->setFocus(slice);
}

void EngineAdapter::requestHeatmap(int slice, int class_index) {
  if (engine_ && active_) engine_->requestHeatmap(slice, inf::Task::Diagnosis, class_index);
}

inf::EngineProgress EngineAdapter::progress() const {
  return engine_ && active_ ? engine_->progress() : inf::EngineProgress{};
}

void EngineAdapter::onEvent(int run, const inf::EngineEvent& event) {
  // Late events for a closed, cancelled, replaced or re-run series end here.
  if (!active_ || run != run_ || event.series_uid != uid_) return;
  if (event.kind == inf::EngineEvent::Kind::AllScored) allScored_ = true;
  emit engineEvent(event);
}

}  // namespace lunglens::ui::ai
