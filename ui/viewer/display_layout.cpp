#include "ui/viewer/display_layout.h"

#include <algorithm>
#include <cmath>

#include "core/dicom/display_orientation.h"

namespace lunglens::ui::viewer {

namespace {

int dominantAxis(const core::volume::Vec3& v) {
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (std::abs(v[i]) > std::abs(v[best])) best = i;
  }
  return best;
}

core::volume::Vec3 negated(const core::volume::Vec3& v) { return {-v[0], -v[1], -v[2]}; }

}  // namespace

std::string orientationLetter(const core::volume::Vec3& direction) {
  static const char* positive[3] = {"L", "P", "S"};
  static const char* negative[3] = {"R", "A", "I"};
  const int axis = dominantAxis(direction);
  if (direction[axis] == 0.0) return "";
  return direction[axis] > 0.0 ? positive[axis] : negative[axis];
}

DisplayLayout::DisplayLayout(const core::volume::Geometry& g)
    : cols_(g.cols), rows_(g.rows), columnSpacing_mm_(g.spacing_mm[0]), rowSpacing_mm_(g.spacing_mm[1]) {
  if (!(columnSpacing_mm_ > 0.0)) columnSpacing_mm_ = 1.0;
  if (!(rowSpacing_mm_ > 0.0)) rowSpacing_mm_ = 1.0;
  // The same radiological flips as everywhere else in LungLens (lunglens-cli render included).
  const core::dicom::DisplayFlip flip = core::dicom::radiologicalFlip(
      {g.row_dir[0], g.row_dir[1], g.row_dir[2], g.col_dir[0], g.col_dir[1], g.col_dir[2]});
  flipX_ = flip.horizontal;
  flipY_ = flip.vertical;
  screenRight_ = flipX_ ? negated(g.row_dir) : g.row_dir;
  screenDown_ = flipY_ ? negated(g.col_dir) : g.col_dir;
}

std::string DisplayLayout::letterLeft() const { return orientationLetter(negated(screenRight_)); }
std::string DisplayLayout::letterRight() const { return orientationLetter(screenRight_); }
std::string DisplayLayout::letterTop() const { return orientationLetter(negated(screenDown_)); }
std::string DisplayLayout::letterBottom() const { return orientationLetter(screenDown_); }

double DisplayLayout::pixelsPerMm(const Camera& camera, double w, double h) const {
  if (empty() || w <= 0.0 || h <= 0.0) return 1.0;
  return std::min(w / width_mm(), h / height_mm()) * camera.zoom;
}

void DisplayLayout::viewToImageMm(const Camera& camera, double w, double h, ViewPoint p, double& x_mm,
                                  double& y_mm) const {
  const double s = pixelsPerMm(camera, w, h);
  x_mm = camera.centre_x_mm + (p.x - w / 2.0) / s;
  y_mm = camera.centre_y_mm + (p.y - h / 2.0) / s;
}

ViewPoint DisplayLayout::imageMmToView(const Camera& camera, double w, double h, double x_mm, double y_mm) const {
  const double s = pixelsPerMm(camera, w, h);
  return {w / 2.0 + (x_mm - camera.centre_x_mm) * s, h / 2.0 + (y_mm - camera.centre_y_mm) * s};
}

std::optional<VoxelXY> DisplayLayout::viewToVoxel(const Camera& camera, double w, double h, ViewPoint p) const {
  if (empty()) return std::nullopt;
  double x_mm = 0.0, y_mm = 0.0;
  viewToImageMm(camera, w, h, p, x_mm, y_mm);
  const double col = std::floor(x_mm / columnSpacing_mm_), row = std::floor(y_mm / rowSpacing_mm_);
  if (col < 0.0 || row < 0.0 || col >= cols_ || row >= rows_) return std::nullopt;
  return displayedToVoxel(static_cast<int>(col), static_cast<int>(row));
}

VoxelXY DisplayLayout::displayedToVoxel(int displayCol, int displayRow) const {
  return {flipX_ ? cols_ - 1 - displayCol : displayCol, flipY_ ? rows_ - 1 - displayRow : displayRow};
}

}  // namespace lunglens::ui::viewer
