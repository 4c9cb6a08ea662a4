#pragma once
// Draws annotations (arrows, labels, lengths, ellipse and freehand regions) with their measurements, in the same
// style in the viewer and in exported images. Measurements are computed from the slice's HU and pixel spacing.
#include <QPainter>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/annotation/annotations.h"
#include "ui/paint/slice_placement.h"

namespace lunglens::ui::paint {

// The slice the annotations are measured on (HU row-major, spacing in mm). `hu` may be null: regions then show no
// statistics, lengths still show their mm.
struct MeasuredSlice {
  const std::int16_t* hu = nullptr;
  int cols = 0, rows = 0;
  double columnSpacing_mm = 1.0, rowSpacing_mm = 1.0;
};

struct AnnotationStyle {
  double scale = 1.0;                                   // line widths and fonts scale with the export size
  std::optional<core::annotation::AnnotationId> selected;  // drawn highlighted, with its handles
};

// Draws each annotation; those of other slices are the caller's business (pass StudyAnnotations::onSlice()).
// A label that would cover one drawn before it (a length's mm over a region's statistics) moves down below it.
// Returns the boxes the labels were drawn in, in the annotations' order (empty boxes for annotations without one).
std::vector<QRectF> paintAnnotations(QPainter& painter, const std::vector<core::annotation::Annotation>& annotations,
                      const SlicePlacement& placement, const MeasuredSlice& slice, const AnnotationStyle& style = {});

// The label drawn beside one annotation (its measurement, then its caption), lines separated by '\n'.
std::string annotationLabel(const core::annotation::Annotation& annotation, const MeasuredSlice& slice);

}  // namespace lunglens::ui::paint
