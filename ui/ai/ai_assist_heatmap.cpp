// AiAssist and the heatmap on the slice view: the H toggle, which map the overlay draws on the shown slice (or why
// none: the panel's note), asking the engine for it once scrolling rests, and the map and clip the export uses so an
// exported image carries what the screen shows. The rest of AiAssist is in ai_assist.cpp.
#include "ui/ai/ai_assist.h"

#include <QAction>
#include <QTimer>

#include "core/inference/model.h"
#include "ui/ai/ai_panel.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

void AiAssist::refreshHeatmap() {
  const int z = viewer_->slice();
  const bool none_by_design = overlay_->enabled() && scores_->noHeatmapByDesign(z);
  panel_->setHeatmapNote(QString::fromStdString(scores_->heatmapNote(z, overlay_->enabled())));
  if (!overlay_->enabled() || !scores_->hasSeries()) {
    heatmapTimer_->stop();
    return;
  }
  if (none_by_design || scores_->withheld()) {  // withheld: nothing of the scores is drawn, a map shown before neither
    heatmapTimer_->stop();
    overlay_->clear();
    checkSettled();
    return;
  }
  if (const inf::Heatmap* h = shownHeatmap(z)) {
    const std::string meaning = classLabel(h->class_name) + " evidence";
    overlay_->showHeatmap(z, *h, adapter_->diagnosisModel()->manifest().input, meaning);
    return;
  }
  if (overlay_->drawnSlice() != z) overlay_->clear();
  heatmapTimer_->start();  // ask once scrolling rests
}

void AiAssist::requestHeatmapNow() {
  const int z = viewer_->slice();
  const int cls = scores_->heatmapClass();
  if (!overlay_->enabled() || !scores_->hasSeries() || scores_->noHeatmapByDesign(z)) return;
  if (!requested_.insert({z, cls}).second) return;
  adapter_->requestHeatmap(z, cls);
}

void AiAssist::setHeatmapShown(bool on) {
  overlay_->setEnabled(on);
  if (heatmapAction_->isChecked() != on) heatmapAction_->setChecked(on);
  panel_->setHeatmapShown(on);
  refreshHeatmap();  // on: the map (or why none); off: clears the note
  checkSettled();
}

const inf::Heatmap* AiAssist::shownHeatmap(int slice) const {
  return overlay_->enabled() ? scores_->shownHeatmap(slice) : nullptr;
}

core::exporting::HeatmapClip AiAssist::heatmapClip(int slice) const {
  const auto& volume = viewer_->volume();
  if (!volume || slice < 0 || slice >= volume->slices()) return {};
  const auto& g = volume->geometry();
  const core::lung::LungAnalysis* a = lung_->model().analysis();
  const bool fits = a && a->mask.geometry.cols == g.cols && a->mask.geometry.rows == g.rows &&
                    a->mask.geometry.slices == g.slices;
  return core::exporting::heatmapClip(fits ? &a->mask : nullptr, slice,
                                      volume->sliceReady(slice) ? volume->slice(slice) : nullptr, g.cols, g.rows);
}

}  // namespace lunglens::ui::ai
