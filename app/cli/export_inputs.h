#pragma once
// What the export, export-dicom and report subcommands share: choosing the series and slices, getting the AI
// results (a predictions file from `classify`, or the models run here) and heatmaps, and composing a slice's
// annotated image.
#include <QImage>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "core/dicom/series.h"
#include "core/export/ai_results.h"
#include "core/annotation/annotations.h"
#include "core/inference/heatmap_grid.h"
#include "core/export/heatmap_clip.h"
#include "core/volume/volume.h"
#include "ui/paint/export_composer.h"

namespace lunglens::cli {

// The options the helpers below read, declared here once for export, export-dicom and report.
Option seriesOption();       // --series UID
Option annotationsOption();  // --annotations FILE.json|saved
Option windowOption();       // --window lung|mediastinum|bone|W,L
Options aiInputOptions();    // --predictions, --heatmaps, --model, --manifestation-model (loadAiInputs)
Options exportSizeOptions();  // --scale, --size (parseExportSize)
Options phiAndOverwriteOptions();  // --include-phi, --overwrite

// The series to use: the one with `uid`, else the only one (the first, with a note on stderr, when several).
const core::dicom::SeriesInfo& chooseExportSeries(const core::dicom::Catalog& catalog, const std::string& dir,
                                                  const std::optional<std::string>& uid, const std::string& command);

// "12,15" (0-based, 0 = lowest), "all", "bookmarks" (needs annotations) or "suspicious" (needs AI results).
// Throws UsageError / InputError for indices outside the series or a missing source.
std::vector<int> parseSliceSelection(const std::string& text, const core::dicom::SeriesInfo& series,
                                     const core::annotation::StudyAnnotations* annotations,
                                     const core::exporting::AiResults* results);

// Annotations from a file, or with file "saved" the ones the viewer saved for the study (core::userDataDir()/
// annotations/<StudyInstanceUID>.json); only those of this series (or with no series UID) are kept.
core::annotation::StudyAnnotations loadExportAnnotations(const std::filesystem::path& file,
                                                        const core::dicom::SeriesInfo& series);

// AI results and heatmaps for a series. Options read (all optional): --predictions FILE (classify's JSON or a
// lunglens-ai-results file), --heatmaps DIR (classify's slice_<i>.png Grad-CAM maps), --model DIR,
// --manifestation-model DIR. Without a predictions file the models are run here (installed bundles when no --model
// is given) when `needScores` or heatmaps without a heatmap folder are asked for.
struct AiInputs {
  std::optional<core::exporting::AiResults> results;
  std::map<int, core::inference::HeatmapGrid> heatmaps;  // by slice index
  std::string heatmap_label;
  // The lung analysis (core/export/heatmap_clip.h): heatmaps are kept inside its dilated mask, and the verdict
  // leaves out slices without lung. Null where it failed (`no_lung_why` says why) or was not needed.
  std::shared_ptr<const core::lung::LungAnalysis> lung;
  std::string no_lung_why;
};
// Runs the lung analysis into `ai` unless it is there already (or failed already); says on stderr when there is
// none. The report, the SR and the scores box carry it.
void ensureLungAnalysis(AiInputs& ai, const core::volume::Volume& volume, const std::string& command);
AiInputs loadAiInputs(const Args& args, const core::dicom::SeriesInfo& series, const core::volume::VolumePtr& volume,
                      bool needScores, const std::vector<int>& heatmapSlices, const std::string& command);

// Composes one slice: the window, the AI box and heatmap when present, the slice's annotations.
QImage composeSlice(const core::dicom::SeriesInfo& series, const core::volume::Volume& volume, int slice,
                    const core::volume::Window& window, const AiInputs& ai, bool withHeatmap,
                    const core::annotation::StudyAnnotations* annotations, bool includePhi,
                    const ui::paint::ExportSize& size);

// --scale S / --size WxH.
ui::paint::ExportSize parseExportSize(const Args& args);

}  // namespace lunglens::cli
