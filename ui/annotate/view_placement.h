#pragma once
// Where the slice view shows its slice, as ui/paint's SlicePlacement: the same voxel <-> pixel mapping the view's
// DisplayLayout and camera use (radiological flips included), so the annotation painter and the tools agree with
// what is on screen.
#include <optional>
#include <QRectF>

#include "ui/paint/annotation_painter.h"
#include "ui/paint/slice_placement.h"
#include "ui/viewer/display_layout.h"

namespace lunglens::ui::viewer {
class ViewerModel;
}

namespace lunglens::ui::annotate {

// The placement in view pixels times `scale` (the device pixel ratio when painting device pixels).
paint::SlicePlacement viewPlacement(const viewer::DisplayLayout& layout, const viewer::Camera& camera,
                                    double viewWidth_px, double viewHeight_px, double scale = 1.0);
paint::SlicePlacement viewPlacement(const viewer::ViewerModel& model, double scale = 1.0);

// The shown slice for measurements (HU only once decoded).
paint::MeasuredSlice measuredSlice(const viewer::ViewerModel& model);

// The part of the displayed image the view shows, in displayed-image mm (ExportView::region_mm).
QRectF visibleRegion_mm(const viewer::ViewerModel& model);

}  // namespace lunglens::ui::annotate
