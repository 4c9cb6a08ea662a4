#include "ui/annotate/view_placement.h"

#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::annotate {

paint::SlicePlacement viewPlacement(const viewer::DisplayLayout& layout, const viewer::Camera& camera,
                                    double viewWidth_px, double viewHeight_px, double scale) {
  paint::SlicePlacement place;
  place.cols = layout.cols();
  place.rows = layout.rows();
  place.flip = {layout.flipX(), layout.flipY()};
  const viewer::ViewPoint topLeft = layout.imageMmToView(camera, viewWidth_px, viewHeight_px, 0.0, 0.0);
  const viewer::ViewPoint bottomRight =
      layout.imageMmToView(camera, viewWidth_px, viewHeight_px, layout.width_mm(), layout.height_mm());
  place.target = QRectF(QPointF(topLeft.x, topLeft.y) * scale, QPointF(bottomRight.x, bottomRight.y) * scale);
  return place;
}

paint::SlicePlacement viewPlacement(const viewer::ViewerModel& model, double scale) {
  return viewPlacement(model.layout(), model.camera(), model.viewWidth_px(), model.viewHeight_px(), scale);
}

paint::MeasuredSlice measuredSlice(const viewer::ViewerModel& model) {
  paint::MeasuredSlice s;
  const auto& layout = model.layout();
  s.cols = layout.cols();
  s.rows = layout.rows();
  s.columnSpacing_mm = layout.columnSpacing_mm();
  s.rowSpacing_mm = layout.rowSpacing_mm();
  if (model.currentSliceReady()) s.hu = model.volume()->slice(model.slice());
  return s;
}

QRectF visibleRegion_mm(const viewer::ViewerModel& model) {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  model.layout().viewToImageMm(model.camera(), model.viewWidth_px(), model.viewHeight_px(), {0.0, 0.0}, x0, y0);
  model.layout().viewToImageMm(model.camera(), model.viewWidth_px(), model.viewHeight_px(),
                               {model.viewWidth_px(), model.viewHeight_px()}, x1, y1);
  return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

}  // namespace lunglens::ui::annotate
