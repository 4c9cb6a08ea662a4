#include "ui/viewer/viewer_model.h"

#include <algorithm>

namespace lunglens::ui::viewer {

ViewerModel::ViewerModel(QObject* parent) : QObject(parent) {}

void ViewerModel::setVolume(core::volume::VolumePtr volume, StudyFacts facts, int slice,
                            const core::volume::Window& window) {
  volume_ = std::move(volume);
  facts_ = std::move(facts);
  layout_ = volume_ ? DisplayLayout(volume_->geometry()) : DisplayLayout();
  camera_ = layout_.fitCamera();
  window_ = initialWindow_ = window;
  const int count = sliceCount();
  slice_ = count == 0 ? 0 : std::clamp(slice < 0 ? count / 2 : slice, 0, count - 1);
  updateCursor();
  emit volumeChanged();
  emit sliceChanged(slice_);
  emit imageChanged();
  emit viewChanged();
}

void ViewerModel::clear() { setVolume(nullptr, {}); }

void ViewerModel::onSliceReady(int z) {
  if (z == slice_) {
    updateCursor();
    emit imageChanged();
  }
  emit viewChanged();  // the loading count in the overlay
}

std::optional<int> ViewerModel::huUnderCursor() const {
  if (!cursorVoxel_ || !currentSliceReady()) return std::nullopt;
  return volume_->at(cursorVoxel_->x, cursorVoxel_->y, slice_);
}

OverlayText ViewerModel::overlay() const {
  OverlayState s;
  s.slice = slice_;
  s.slice_count = sliceCount();
  s.ready_count = volume_ ? volume_->readySliceCount() : 0;
  s.slice_position_mm = volume_ ? volume_->slicePosition_mm(slice_) : 0.0;
  s.window = window_;
  s.zoom = camera_.zoom;
  s.hu = huUnderCursor();
  if (cursorVoxel_) {
    s.cursor_x = cursorVoxel_->x;
    s.cursor_y = cursorVoxel_->y;
  }
  s.phi_hidden = phiHidden_;
  return buildOverlayText(facts_, s);
}

void ViewerModel::setSlice(int z) {
  if (!volume_) return;
  z = std::clamp(z, 0, sliceCount() - 1);
  if (z == slice_) return;
  slice_ = z;
  emit sliceChanged(slice_);
  emit imageChanged();
  emit viewChanged();
}

void ViewerModel::scrollBy(int steps) { setSlice(slice_ + steps); }

int ViewerModel::feetwardStep() const {
  if (!volume_) return -1;
  const double nz = volume_->geometry().normal[2];
  return nz < 0.0 ? 1 : -1;
}

void ViewerModel::setWindow(const core::volume::Window& window) {
  core::volume::Window w = window;
  w.width = std::max(1.0, w.width);
  if (w.width == window_.width && w.level == window_.level && w.name == window_.name) return;
  window_ = w;
  emit imageChanged();
  emit viewChanged();
}

void ViewerModel::applyPreset(int number) {
  switch (number) {
    case 1: setWindow(core::volume::lungWindow()); break;
    case 2: setWindow(core::volume::mediastinumWindow()); break;
    case 3: setWindow(core::volume::boneWindow()); break;
    default: break;
  }
}

void ViewerModel::beginWindowDrag() { dragStart_ = window_; }

void ViewerModel::dragWindow(double dx_px, double dy_px) {
  core::volume::Window w;
  w.width = dragStart_.width + dx_px * kWidthHuPerPixel;
  w.level = dragStart_.level + dy_px * kLevelHuPerPixel;
  w.name = (dx_px == 0.0 && dy_px == 0.0) ? dragStart_.name : "";
  setWindow(w);
}

void ViewerModel::setViewport(double width_px, double height_px) {
  width_px = std::max(1.0, width_px);
  height_px = std::max(1.0, height_px);
  if (width_px == viewWidth_px_ && height_px == viewHeight_px_) return;
  viewWidth_px_ = width_px;
  viewHeight_px_ = height_px;
  updateCursor();
  emit viewChanged();
}

void ViewerModel::zoomAt(double factor, ViewPoint anchor) {
  if (!volume_ || !(factor > 0.0)) return;
  double ax = 0.0, ay = 0.0;
  layout_.viewToImageMm(camera_, viewWidth_px_, viewHeight_px_, anchor, ax, ay);
  Camera next = camera_;
  next.zoom = std::clamp(camera_.zoom * factor, kMinZoom, kMaxZoom);
  // Solve for the centre that puts (ax, ay) back under the anchor at the new scale.
  const double s = layout_.pixelsPerMm(next, viewWidth_px_, viewHeight_px_);
  next.centre_x_mm = ax - (anchor.x - viewWidth_px_ / 2.0) / s;
  next.centre_y_mm = ay - (anchor.y - viewHeight_px_ / 2.0) / s;
  camera_ = next;
  updateCursor();
  emit viewChanged();
}

void ViewerModel::panBy(double dx_px, double dy_px) {
  if (!volume_) return;
  const double s = layout_.pixelsPerMm(camera_, viewWidth_px_, viewHeight_px_);
  camera_.centre_x_mm -= dx_px / s;
  camera_.centre_y_mm -= dy_px / s;
  updateCursor();
  emit viewChanged();
}

void ViewerModel::resetView() {
  camera_ = layout_.fitCamera();
  updateCursor();
  setWindow(initialWindow_);
  emit viewChanged();
}

void ViewerModel::setCursor(std::optional<ViewPoint> p) {
  cursor_ = p;
  updateCursor();
  emit viewChanged();
}

void ViewerModel::setPhiHidden(bool hidden) {
  if (hidden == phiHidden_) return;
  phiHidden_ = hidden;
  emit viewChanged();
}

void ViewerModel::updateCursor() {
  cursorVoxel_.reset();
  if (cursor_ && volume_) cursorVoxel_ = layout_.viewToVoxel(camera_, viewWidth_px_, viewHeight_px_, *cursor_);
}

}  // namespace lunglens::ui::viewer
