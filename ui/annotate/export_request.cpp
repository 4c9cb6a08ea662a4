#include "ui/annotate/export_request.h"

#include <cstdio>

#include "core/common/error.h"
#include "core/export/lung_report.h"
#include "core/inference/heatmap.h"
#include "core/inference/model.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::annotate {

namespace ex = core::exporting;
namespace ann = core::annotation;

std::filesystem::path batchFile(const std::filesystem::path& file, int imageNumber) {
  char name[32];
  std::snprintf(name, sizeof name, "-im-%03d", imageNumber);
  return file.parent_path() / (file.stem().string() + name + file.extension().string());
}

std::vector<int> exportSlices(const ExportRequest& request, const viewer::ViewerModel& model,
                              const std::string& series_uid, const ann::StudyAnnotations& annotations,
                              const ai::AiAssist* ai) {
  std::vector<int> slices;
  switch (request.what) {
    case ExportWhat::CurrentView:
      slices.push_back(model.slice());
      break;
    case ExportWhat::Bookmarked:
      for (const auto& b : annotations.bookmarks) {
        if ((b.series_uid == series_uid || b.series_uid.empty()) && b.slice >= 0 && b.slice < model.sliceCount()) {
          slices.push_back(b.slice);
        }
      }
      break;
    case ExportWhat::Suspicious:
      if (ai) {
        for (int z = 0; z < model.sliceCount(); ++z) {
          if (ai->scores().suspicious(z)) slices.push_back(z);
        }
      }
      break;
  }
  std::sort(slices.begin(), slices.end());
  slices.erase(std::unique(slices.begin(), slices.end()), slices.end());
  return slices;
}

namespace {

std::optional<paint::ScoresBox> scoresBox(const ai::AiScoresModel& scores, int slice,
                                          const core::lung::LungAnalysis* lung) {
  if (!scores.hasSeries() || !scores.scored(slice)) return std::nullopt;
  const ai::ModelFacts& facts = scores.facts();
  paint::ScoresBox box;
  if (lung) box.lung = ex::lungSummaryLine(*lung);  // the density measurement, as in the dock's lung section
  box.model_name = facts.name;
  box.model_version = facts.version;
  box.trained_on_synthetic = facts.synthetic;
  // As on screen: a withheld series shows the warning, no bars and no verdict.
  if (!paint::applyOodState(box, scores.outOfDistribution(), scores.withheld())) return box;
  for (const auto& bar : scores.diagnosisBars(slice)) box.classes.push_back({bar.label, bar.probability});
  for (const auto& bar : scores.manifestationBars(slice)) box.manifestations.push_back({bar.label, bar.probability});
  if (scores.allScored()) box.verdict = "Study: " + scores.verdictHeadline();
  return box;
}

}  // namespace

paint::ExportView exportViewFor(const viewer::ViewerModel& model, const core::dicom::SeriesInfo& series,
                                const ann::StudyAnnotations& annotations, int slice, const ai::AiAssist* ai,
                                bool include_phi, std::optional<QRectF> region_mm) {
  const auto& volume = model.volume();
  if (!volume || slice < 0 || slice >= volume->slices() || !volume->sliceReady(slice)) {
    throw core::InputError("slice " + std::to_string(slice), "not loaded yet: nothing to export");
  }
  paint::ExportView view;
  view.hu = volume->slice(slice);
  view.geometry = volume->geometry();
  view.slice = slice;
  view.slice_count = volume->slices();
  if (slice < static_cast<int>(series.slices.size())) {
    view.slice_position_mm = series.slices[static_cast<std::size_t>(slice)].position_along_normal_mm;
  }
  view.window = model.window();
  view.annotations = annotations.onSlice(series.series_uid, slice);
  view.series = series;
  view.include_phi = include_phi;
  view.region_mm = region_mm;
  if (ai) {
    // The lung analysis of the open series once it is ready (LungModel drops results of other series).
    const ai::LungModel& lungModel = ai->lung().model();
    const bool lungOfThisSeries = lungModel.seriesUid() == series.series_uid;
    view.scores = scoresBox(ai->scores(), slice, lungOfThisSeries ? lungModel.analysis() : nullptr);
    const core::inference::Heatmap* map = ai->shownHeatmap(slice);  // what the viewer shows there, or none
    const core::inference::Model* diagnosis = ai->engine().diagnosisModel();
    if (map && diagnosis) {
      const auto& g = view.geometry;
      view.heatmap = core::inference::HeatmapGrid{
          g.cols, g.rows, core::inference::heatmapOnSlice(*map, g.rows, g.cols, diagnosis->manifest().input)};
      view.heatmap_label = "Grad-CAM: " + ai::classLabel(map->class_name);
      view.heatmap_clip = ai->heatmapClip(slice);  // the same clip as on screen: inside the lungs when known
    }
  }
  return view;
}

}  // namespace lunglens::ui::annotate
