// AiAssist: builds the AI dock, menu and status bar, wires the viewer, the engine, the presenter model and the
// panel together, follows the open series and the shown slice, and says when it has settled. Finding and loading
// the models is in ai_assist_models.cpp; the heatmap on the slice view in ai_assist_heatmap.cpp.
#include "ui/ai/ai_assist.h"

#include <QAction>
#include <QDockWidget>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTimer>
#include <algorithm>

#include "core/inference/model.h"
#include "ui/ai/ai_panel.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/ai/lung_panel.h"
#include "ui/ai/scoring_progress.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;
namespace fs = std::filesystem;

namespace {
constexpr int kHeatmapRestMs = 120;  // scrolling must rest this long before the shown slice's heatmap is asked for

}  // namespace

AiAssist::AiAssist(viewer::ViewerModel* viewer, viewer::SliceView* view, QMainWindow* window)
    : QObject(window),
      viewer_(viewer),
      view_(view),
      scores_(new AiScoresModel(this)),
      adapter_(new EngineAdapter(this)),
      overlay_(new HeatmapOverlay(view, this)),
      panel_(new AiPanel(scores_)),
      lung_(new LungAssist(viewer, view, this)),
      heatmapTimer_(new QTimer(this)),
      progressTimer_(new QTimer(this)) {
  auto* dock = new QDockWidget(tr("AI assist"), window);
  dock->setObjectName("ai-dock");
  dock->setWidget(panel_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  panel_->setMinimumWidth(330);
  window->addDockWidget(Qt::RightDockWidgetArea, dock);
  panel_->setLungSection(lung_->panel());
  panel_->setCurveLungModel(&lung_->model());
  buildMenu(window);
  buildStatusBar(window);
  // Lung analysis -> which slices count, where heatmaps may be drawn, and settling.
  connect(&lung_->model(), &LungModel::changed, this, &AiAssist::onLungChanged);
  connect(lung_, &LungAssist::finished, this, &AiAssist::checkSettled);
  overlay_->setEnabled(false);

  heatmapTimer_->setSingleShot(true);
  heatmapTimer_->setInterval(kHeatmapRestMs);
  connect(heatmapTimer_, &QTimer::timeout, this, &AiAssist::requestHeatmapNow);
  progressTimer_->setSingleShot(true);
  progressTimer_->setInterval(100);
  connect(progressTimer_, &QTimer::timeout, this, &AiAssist::updateProgress);

  // Viewer -> AI: the shown slice is the engine's focus and the panel's slice.
  connect(viewer_, &viewer::ViewerModel::sliceChanged, this, &AiAssist::onSliceChanged);
  connect(viewer_, &viewer::ViewerModel::volumeChanged, this,
          [this]() { panel_->setCurveSliceOrder(viewer_->feetwardStep() < 0); });

  // Engine -> presenter model.
  connect(adapter_, &EngineAdapter::seriesOpened, this, [this](const QString& uid) {
    requested_.clear();
    overlay_->clear();
    const inf::Model* m = adapter_->manifestationModel();
    ModelFacts facts = modelFactsFrom(adapter_->diagnosisModel()->manifest(), m ? &m->manifest() : nullptr);
    facts.ood_guarded = adapter_->diagnosisModel()->oodGuard() != nullptr;
    scores_->openSeries(uid.toStdString(), viewer_->sliceCount(), facts);
    if (lung_->model().seriesUid() == uid.toStdString()) scores_->setSliceEligibility(lung_->model().sliceEligibility());
    scores_->setCurrentSlice(viewer_->slice());
    updateProgress();
    refreshHeatmap();
  });
  connect(adapter_, &EngineAdapter::engineEvent, this, [this](const inf::EngineEvent& event) {
    if (event.kind == inf::EngineEvent::Kind::Error) {
      emit message(tr("AI: %1").arg(QString::fromStdString(event.message)));
      return;
    }
    if (event.kind != inf::EngineEvent::Kind::AllScored) scores_->applyResult(event.series_uid, event.result);
    if (event.kind == inf::EngineEvent::Kind::AllScored) {
      updateProgress();
    } else if (event.kind == inf::EngineEvent::Kind::Diagnosis && !progressTimer_->isActive()) {
      progressTimer_->start();
    }
    checkSettled();
  });
  connect(scores_, &AiScoresModel::heatmapChanged, this, [this](int z) {
    if (z == viewer_->slice()) refreshHeatmap();
  });
  connect(scores_, &AiScoresModel::scoresChanged, this, [this](int z) {
    // The predicted class may now be known, and the series may now count as unlike the training data (or no
    // longer: the guard is a majority of the scored lung slices): either changes the map of the shown slice.
    const bool flipped = withheldFlipped();
    if ((z == viewer_->slice() || flipped) && overlay_->enabled()) refreshHeatmap();
  });
  connect(scores_, &AiScoresModel::settingsChanged, this, [this]() {
    // "Show anyway" (or hiding again) changes what may be drawn on the slice the reader is looking at.
    if (withheldFlipped() && overlay_->enabled()) refreshHeatmap();
  });
  connect(adapter_, &EngineAdapter::scoringStopped, this, [this]() {
    updateProgress();
    checkSettled();
  });
  connect(adapter_, &EngineAdapter::modelsReady, this, &AiAssist::onModelsReady);
  connect(adapter_, &EngineAdapter::modelsFailed, this, [this](const QString& why) {
    noModel_ = true;
    panel_->showNoModel(tr("The AI model could not be loaded:\n%1\n\nThe viewer works as usual.").arg(why));
    emit message(tr("AI model not loaded: %1").arg(why));
    checkSettled();
  });
  connect(overlay_, &HeatmapOverlay::drawn, this, &AiAssist::checkSettled);

  connectPanel();
}

AiAssist::~AiAssist() = default;

void AiAssist::connectPanel() {
  // The reader's requests in the panel -> the presenter model, the viewer, the overlay and the engine.
  connect(panel_, &AiPanel::sliceRequested, viewer_, &viewer::ViewerModel::setSlice);
  connect(panel_, &AiPanel::thresholdChanged, scores_, &AiScoresModel::setVerdictThreshold);
  connect(panel_, &AiPanel::suspiciousFilterChanged, scores_, &AiScoresModel::setManifestationFilter);
  connect(panel_, &AiPanel::previousSuspiciousRequested, this, [this]() { goToNextSuspicious(-1); });
  connect(panel_, &AiPanel::nextSuspiciousRequested, this, [this]() { goToNextSuspicious(+1); });
  connect(panel_, &AiPanel::highestRequested, this, &AiAssist::goToHighest);
  connect(panel_, &AiPanel::heatmapShownChanged, this, &AiAssist::setHeatmapShown);
  connect(panel_, &AiPanel::heatmapClassChanged, scores_, &AiScoresModel::setHeatmapClass);
  connect(scores_, &AiScoresModel::heatmapClassChanged, this, [this]() { refreshHeatmap(); });
  connect(panel_, &AiPanel::heatmapColoursChanged, this,
          [this](int i) { overlay_->setColours(static_cast<paint::HeatmapColours>(std::clamp(i, 0, 2))); });
  connect(panel_, &AiPanel::heatmapOpacityChanged, overlay_, &HeatmapOverlay::setOpacity);
  overlay_->setOpacity(panel_->heatmapOpacity());
  connect(panel_, &AiPanel::rerunRequested, this, [this](const QString& dir) {
    const fs::path chosen = dir.toStdString();
    if (!chosen.empty() && chosen != loadedBundle_) {
      loadChosenModel();
    } else {
      adapter_->rerun();
    }
  });
}

void AiAssist::buildMenu(QMainWindow* window) {
  // Before Help, if the window has one.
  auto* menu = new QMenu(tr("&AI"), window);
  QAction* before = nullptr;
  for (QAction* a : window->menuBar()->actions())
    if (a->text().contains("Help")) before = a;
  window->menuBar()->insertMenu(before, menu);
  auto add = [&](const QString& label, const char* key, auto slot) {
    auto* a = menu->addAction(label, this, slot);
    a->setShortcut(QKeySequence(key));
    a->setShortcutContext(Qt::ApplicationShortcut);
    return a;
  };
  add(tr("&Next Suspicious Slice"), "N", [this]() { goToNextSuspicious(+1); });
  add(tr("&Previous Suspicious Slice"), "P", [this]() { goToNextSuspicious(-1); });
  add(tr("&Jump to Highest Score"), "J", [this]() { goToHighest(); });
  menu->addSeparator();
  heatmapAction_ = add(tr("Show &Heatmap"), "H", [this](bool) {});
  heatmapAction_->setCheckable(true);
  connect(heatmapAction_, &QAction::toggled, this, &AiAssist::setHeatmapShown);
  menu->addSeparator();
  menu->addAction(tr("&Cancel Scoring"), adapter_, &EngineAdapter::cancel);
  menu->addAction(tr("&Re-run"), adapter_, &EngineAdapter::rerun);
  // The lung analysis is not AI: its own menu beside.
  auto* lungMenu = new QMenu(tr("&Lung"), window);
  window->menuBar()->insertMenu(before, lungMenu);
  lung_->addActions(lungMenu);
}

void AiAssist::buildStatusBar(QMainWindow* window) {
  progress_ = new ScoringProgress;
  connect(progress_, &ScoringProgress::cancelRequested, adapter_, &EngineAdapter::cancel);
  window->statusBar()->addPermanentWidget(progress_);
}

void AiAssist::openSeries(const std::string& series_uid, core::volume::VolumePtr volume, int slice) {
  wasSettled_ = false;
  overlay_->clear();
  scores_->clear();
  lung_->openSeries(series_uid, volume);
  adapter_->openSeries(series_uid, std::move(volume), slice);
}

void AiAssist::closeSeries() {
  overlay_->clear();
  adapter_->closeSeries();
  scores_->clear();
  lung_->closeSeries();
}

void AiAssist::seriesLoaded() { lung_->seriesLoaded(); }

void AiAssist::seriesLoadFailed(const QString& why) {
  lung_->seriesLoadFailed(why.toStdString());
  checkSettled();
}

void AiAssist::onLungChanged() {
  const LungModel& m = lung_->model();
  const bool ours = m.seriesUid() == scores_->seriesUid();
  scores_->setSliceEligibility(ours ? m.sliceEligibility() : std::vector<std::uint8_t>{});
  overlay_->setLungAnalysis(m.sharedAnalysis());
  lung_->panel()->setHeatmapNote(QString::fromStdString(m.heatmapClipNote()));
  checkSettled();
}

void AiAssist::onSliceChanged(int slice) {
  scores_->setCurrentSlice(slice);
  adapter_->setFocus(slice);
  refreshHeatmap();
}

void AiAssist::goToNextSuspicious(int direction) {
  const int step = direction * (viewer_->feetwardStep() >= 0 ? 1 : -1);
  if (const auto z = scores_->nextSuspicious(viewer_->slice(), step)) {
    viewer_->setSlice(*z);
  } else {
    emit message(direction > 0 ? tr("No suspicious slice further toward the feet")
                               : tr("No suspicious slice further toward the head"));
  }
}

void AiAssist::goToHighest() {
  if (const auto z = scores_->highestScoring()) viewer_->setSlice(*z);
}

void AiAssist::updateProgress() {
  progress_->setState(adapter_->scoring(), scores_->scoredCount(), scores_->hasSeries() ? scores_->sliceCount() : 0);
}

bool AiAssist::withheldFlipped() {
  const bool now = scores_->withheld();
  const bool flipped = now != withheldShown_;
  withheldShown_ = now;
  return flipped;
}

bool AiAssist::settledNow() const {
  if (lung_->busy()) return false;  // the lung analysis of the open series is still to come
  if (noModel_) return true;
  if (!adapter_->hasModels() || adapter_->loading()) return false;
  if (adapter_->seriesUid().empty()) return true;
  if (!scores_->allScored()) return false;
  // Every gated manifestation done too (the engine says so once per run).
  if (adapter_->scoring()) return false;
  if (!overlay_->enabled() || !scores_->heatmapToCome(viewer_->slice())) return true;
  // Drawn, and not being redrawn: a lung analysis arriving re-clips the map on screen in the background.
  return overlay_->drawnSlice() == viewer_->slice() && !overlay_->pending();
}

void AiAssist::checkSettled() {
  const bool now = settledNow();
  if (now && !wasSettled_) {
    wasSettled_ = true;
    emit settled();
  } else if (!now) {
    wasSettled_ = false;
  }
}

}  // namespace lunglens::ui::ai
