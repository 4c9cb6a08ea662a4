#include "ui/ai/lung_assist.h"

#include <QAction>
#include <QCheckBox>
#include <QMenu>
#include <algorithm>

#include "core/common/parallel.h"

#include "ui/ai/lung_model.h"
#include "ui/ai/lung_overlay.h"
#include "ui/ai/lung_panel.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::ai {

namespace lung = core::lung;

LungAssist::LungAssist(viewer::ViewerModel* viewer, viewer::SliceView* view, QObject* parent)
    : QObject(parent),
      model_(new LungModel(this)),
      overlay_(new LungOverlay(view, this)),
      panel_(new LungPanel(model_)),
      job_(this) {
  connect(model_, &LungModel::changed, this, [this]() { overlay_->setAnalysis(model_->sharedAnalysis()); });
  connect(viewer, &viewer::ViewerModel::sliceChanged, panel_, &LungPanel::setCurrentSlice);
  connect(panel_->contourBox(), &QCheckBox::toggled, this, &LungAssist::setContourShown);
  connect(panel_->opacityBox(), &QCheckBox::toggled, this, &LungAssist::setOpacitiesShown);
}

LungAssist::~LungAssist() { job_.cancelAndWait(); }

void LungAssist::addActions(QMenu* menu) {
  auto add = [&](const QString& label, const char* key) {
    auto* a = menu->addAction(label);
    a->setShortcut(QKeySequence(key));
    a->setShortcutContext(Qt::ApplicationShortcut);
    a->setCheckable(true);
    return a;
  };
  contourAction_ = add(tr("Show &Lung Contour"), "L");
  opacityAction_ = add(tr("Show Lung &Opacities (ground glass, consolidation)"), "G");
  connect(contourAction_, &QAction::toggled, this, &LungAssist::setContourShown);
  connect(opacityAction_, &QAction::toggled, this, &LungAssist::setOpacitiesShown);
}

void LungAssist::setContourShown(bool on) {
  overlay_->setContourShown(on);
  if (contourAction_ && contourAction_->isChecked() != on) contourAction_->setChecked(on);
  if (panel_->contourBox()->isChecked() != on) panel_->contourBox()->setChecked(on);
}

void LungAssist::setOpacitiesShown(bool on) {
  overlay_->setOpacitiesShown(on);
  if (opacityAction_ && opacityAction_->isChecked() != on) opacityAction_->setChecked(on);
  if (panel_->opacityBox()->isChecked() != on) panel_->opacityBox()->setChecked(on);
}

void LungAssist::openSeries(const std::string& series_uid, core::volume::VolumePtr volume) {
  job_.cancel();
  volume_ = std::move(volume);
  model_->openSeries(series_uid, volume_ ? volume_->slices() : 0);
  if (volume_ && volume_->complete()) start();
}

void LungAssist::seriesLoaded() {
  if (model_->state() == LungModel::State::Waiting) start();
}

void LungAssist::seriesLoadFailed(const std::string& why) {
  job_.cancel();
  if (model_->applyFailure(model_->seriesUid(), "the series did not load completely (" + why + ")")) emit finished();
}

void LungAssist::closeSeries() {
  job_.cancel();
  volume_.reset();
  model_->clear();
}

bool LungAssist::busy() const {
  return model_->state() == LungModel::State::Waiting || model_->state() == LungModel::State::Running;
}

void LungAssist::start() {
  if (!volume_) return;
  const std::string uid = model_->seriesUid();
  model_->setRunning(uid);
  decltype(job_)::Handlers handlers;
  handlers.done = [this, uid](std::shared_ptr<const lung::LungAnalysis> analysis) {
    if (model_->applyResult(uid, std::move(analysis))) emit finished();
  };
  handlers.failed = [this, uid](const std::string& message) {
    if (model_->applyFailure(uid, message)) emit finished();
  };
  // The volume is shared read-only; analyzeLungs refuses one that is not complete (a load cancelled meanwhile).
  job_.start(
      [volume = volume_](const core::CancelToken& cancel, const std::function<void(int)>&) {
        lung::AnalysisOptions options;
        // In the background beside the AI engine and the UI thread: half the cores, so scrolling stays smooth.
        options.threads = std::max(1, core::defaultThreadCount() / 2);
        return std::shared_ptr<const lung::LungAnalysis>(
            std::make_shared<lung::LungAnalysis>(lung::analyzeLungs(*volume, options, cancel)));
      },
      std::move(handlers));
}

}  // namespace lunglens::ui::ai
