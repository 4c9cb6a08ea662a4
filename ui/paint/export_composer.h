#pragma once
// Composes an exported view: the windowed slice in radiological orientation, the AI heatmap when shown, the
// annotations with their measurements, overlay text, orientation letters, a side panel with the AI scores box and
// colour bars, and a footer with the model and "Reading aid — not for diagnostic use".
//
// Anonymized by default: patient name, ID, birth date, sex, study date and time, accession number, institution and
// the free-text study and series descriptions appear only with include_phi. Without it, the image does not depend on those fields at all (tested pixel for
// pixel).
#include <QImage>
#include <QRectF>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/annotation/annotations.h"
#include "core/inference/heatmap_grid.h"
#include "core/export/heatmap_clip.h"
#include "core/volume/geometry.h"
#include "core/volume/window.h"
#include "ui/paint/scores_box.h"

namespace lunglens::ui::paint {

struct ExportView {
  const std::int16_t* hu = nullptr;      // the slice, rows x cols, row-major, volume order (not flipped)
  core::volume::Geometry geometry;       // cols, rows, spacing and orientation of the series
  int slice = 0, slice_count = 0;        // 0-based index, and how many slices the series has
  double slice_position_mm = 0.0;
  core::volume::Window window;
  std::optional<core::inference::HeatmapGrid> heatmap;  // shown when set
  std::string heatmap_label;             // e.g. "Grad-CAM: COVID-19"
  // Where the heatmap may be drawn (core/export/heatmap_clip.h); unset: the body-air fallback from `hu`.
  std::optional<core::exporting::HeatmapClip> heatmap_clip;
  std::vector<core::annotation::Annotation> annotations;  // those on this slice
  std::optional<ScoresBox> scores;
  core::dicom::SeriesInfo series;        // overlay text; PHI fields used only with include_phi
  bool include_phi = false;
  // The part of the slice shown (the viewer's zoomed and panned view), in displayed-image millimetres from its
  // top-left corner (after the radiological flips); the whole slice when unset. May reach past the slice.
  std::optional<QRectF> region_mm;
};

// Output size: `scale` times the slice's native size (1 image pixel per voxel along its finer axis), or, when
// width and height are both > 0, exactly that size with the content fitted and centred.
struct ExportSize {
  double scale = 1.0;
  int width = 0, height = 0;
};

struct ExportLayout {
  QSize canvas;
  QRectF slice;        // the slice image (the shown region of it)
  QRectF slice_full;   // where the whole slice lands (beyond `slice` when a region is shown); voxels map into it
  QRectF panel;        // side panel: scores box, colour bars
  QRectF footer;       // model and disclaimer
  QRectF patientText;  // the top-left overlay block, where patient identity appears when included
  double text_scale = 1.0;
};

ExportLayout exportLayout(const ExportView& view, const ExportSize& size);

// Overlay text blocks (lines separated by '\n'), exposed for tests.
std::string overlayTopLeft(const core::dicom::SeriesInfo& series, bool include_phi);
std::string overlayTopRight(const ExportView& view);

// Throws InputError for a view without voxels or with an impossible size.
QImage composeExportImage(const ExportView& view, const ExportSize& size = {});

}  // namespace lunglens::ui::paint
