#pragma once
// Exporting annotated images from the viewer: what the reader asked for (the export dialog fills it, tests build it
// directly) and the ExportView of a slice as the viewer shows it (window, annotations, heatmap when shown, AI
// scores), so the GUI export is exactly ui/paint's composeExportImage of those inputs.
#include <QRectF>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/annotation/annotations.h"
#include "ui/paint/export_composer.h"

namespace lunglens::ui::viewer {
class ViewerModel;
}
namespace lunglens::ui::ai {
class AiAssist;
}

namespace lunglens::ui::annotate {

enum class ExportWhat { CurrentView, Bookmarked, Suspicious };

struct ExportRequest {
  ExportWhat what = ExportWhat::CurrentView;
  // The file (.png, .jpg, .jpeg). Several slices go beside it as <stem>-im-NNN.<ext> (the image number, "Im",
  // core::dicom::imageNumber; docs/NUMBERING.md).
  std::filesystem::path file;
  paint::ExportSize size;    // scale 1 or 2, or an exact width x height
  bool include_phi = false;  // anonymized unless asked
  bool overwrite = false;    // only after the reader confirmed replacing existing files
};

// The file one slice of a batch goes to, named by the slice's image number ("Im").
std::filesystem::path batchFile(const std::filesystem::path& file, int imageNumber);

// What the export of `request` covers: the current slice for the current view, else the bookmarked (or AI-
// suspicious) slices of the shown series, in slice order.
std::vector<int> exportSlices(const ExportRequest& request, const viewer::ViewerModel& model,
                              const std::string& series_uid, const core::annotation::StudyAnnotations& annotations,
                              const ai::AiAssist* ai);

// The view of slice `slice` as the viewer shows it. `region_mm` = the zoomed part (the current view) or the whole
// slice. `ai` may be null (no scores, no heatmap). The slice must be decoded.
paint::ExportView exportViewFor(const viewer::ViewerModel& model, const core::dicom::SeriesInfo& series,
                                const core::annotation::StudyAnnotations& annotations, int slice,
                                const ai::AiAssist* ai, bool include_phi, std::optional<QRectF> region_mm);

}  // namespace lunglens::ui::annotate
