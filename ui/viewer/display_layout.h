#pragma once
// How a slice lies on screen: which way is up and right in the patient, the displayed image's size in mm, and the
// mapping between view pixels and voxels for a given zoom and pan. Pure value math, no Qt widgets, no VTK: the
// slice view draws exactly what this says, and the tests check it without a display.
#include <optional>
#include <string>

#include "core/volume/geometry.h"

namespace lunglens::ui::viewer {

struct ViewPoint {
  double x = 0.0, y = 0.0;  // view pixels, origin top-left, y down
};

struct VoxelXY {
  int x = 0, y = 0;  // column and row in the volume's slice
};

// Where the view is looking: zoom relative to "fit the slice in the view", and the pan as the displayed-image
// point (mm from the displayed image's top-left) that sits at the view's centre.
struct Camera {
  double zoom = 1.0;
  double centre_x_mm = 0.0, centre_y_mm = 0.0;
};

class DisplayLayout {
 public:
  DisplayLayout() = default;
  // Radiological convention (core::dicom::radiologicalFlip): axial slices show the patient's left (+X) on the
  // screen's right and posterior (+Y) at the bottom; image axes pointing the other way are flipped for display.
  explicit DisplayLayout(const core::volume::Geometry& geometry);

  int cols() const { return cols_; }
  int rows() const { return rows_; }
  double columnSpacing_mm() const { return columnSpacing_mm_; }
  double rowSpacing_mm() const { return rowSpacing_mm_; }
  bool flipX() const { return flipX_; }  // displayed column 0 is the volume's last column
  bool flipY() const { return flipY_; }  // displayed row 0 is the volume's last row
  double width_mm() const { return cols_ * columnSpacing_mm_; }
  double height_mm() const { return rows_ * rowSpacing_mm_; }
  bool empty() const { return cols_ <= 0 || rows_ <= 0; }

  // Patient directions of the screen's right and down.
  const core::volume::Vec3& screenRight() const { return screenRight_; }
  const core::volume::Vec3& screenDown() const { return screenDown_; }
  // Orientation letters at the view's edges: R/L, A/P, S/I (e.g. axial: left "R", right "L", top "A", bottom "P").
  std::string letterLeft() const;
  std::string letterRight() const;
  std::string letterTop() const;
  std::string letterBottom() const;

  // The camera that shows the whole slice, centred.
  Camera fitCamera() const { return {1.0, width_mm() / 2.0, height_mm() / 2.0}; }
  // Screen pixels per displayed mm for a viewport of width x height pixels.
  double pixelsPerMm(const Camera& camera, double viewWidth_px, double viewHeight_px) const;

  // Displayed-image mm (from its top-left) under a view pixel, and back.
  void viewToImageMm(const Camera& camera, double viewWidth_px, double viewHeight_px, ViewPoint p, double& x_mm,
                     double& y_mm) const;
  ViewPoint imageMmToView(const Camera& camera, double viewWidth_px, double viewHeight_px, double x_mm,
                          double y_mm) const;
  // The voxel under a view pixel, or nothing when the pixel is outside the slice.
  std::optional<VoxelXY> viewToVoxel(const Camera& camera, double viewWidth_px, double viewHeight_px,
                                     ViewPoint p) const;
  // The displayed column/row of a voxel (after flips), and back; the same mapping both ways.
  VoxelXY displayedToVoxel(int displayCol, int displayRow) const;

 private:
  int cols_ = 0, rows_ = 0;
  double columnSpacing_mm_ = 1.0, rowSpacing_mm_ = 1.0;
  bool flipX_ = false, flipY_ = false;
  core::volume::Vec3 screenRight_{1.0, 0.0, 0.0}, screenDown_{0.0, 1.0, 0.0};
};

// The letter of a patient direction's dominant axis: +X "L", -X "R", +Y "P", -Y "A", +Z "S", -Z "I".
std::string orientationLetter(const core::volume::Vec3& direction);

}  // namespace lunglens::ui::viewer
