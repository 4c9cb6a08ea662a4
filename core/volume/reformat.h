#pragma once
// Multiplanar reformats as plain math (no VTK): which voxel axis runs along which patient axis, how an axial,
// coronal or sagittal plane lies on screen (radiological convention), and thick-slab projections (MIP, MinIP,
// average) over a range of planes. The MPR views draw exactly what these return; the tests check them without a
// display.
//
// Reformats are sampled on the volume's own voxel grid: a plane is a fixed index along one voxel axis. That is
// exact for series whose row, column and slice directions lie along the patient axes; an oblique or gantry-tilted
// series (any axis more than kMaxObliqueDeg off) is refused by axisMap() with a message saying why.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/volume/volume.h"

namespace lunglens::core::volume {

enum class Plane { Axial = 0, Coronal = 1, Sagittal = 2 };
enum class SlabMode { Mip, MinIp, Average };

const char* planeName(Plane plane);    // "Axial", "Coronal", "Sagittal"
const char* slabModeName(SlabMode m);  // "MIP", "MinIP", "Average"

// Largest angle between a voxel axis and the nearest patient axis that reformats accept.
constexpr double kMaxObliqueDeg = 3.0;

// For each patient axis (0 X right-to-left, 1 Y anterior-to-posterior, 2 Z feet-to-head): the voxel axis along it
// (0 columns, 1 rows, 2 slices) and whether increasing that index goes toward +patient (+1) or -patient (-1).
struct AxisMap {
  std::array<int, 3> voxel_axis{0, 1, 2};
  std::array<int, 3> sign{1, 1, 1};
  double worst_deviation_deg = 0.0;  // the largest angle between a voxel axis and its patient axis
};

// Throws InputError("reformat", ...) for an oblique or gantry-tilted geometry, naming the angle.
AxisMap axisMap(const Geometry& geometry);
// The same check on the slice positions: a stack whose slice origins drift sideways (gantry tilt written as
// shifted ImagePositionPatient with an axial orientation) is refused. `positions` = ImagePositionPatient per
// slice, in slice order. Returns the sideways drift angle in degrees.
double stackTilt_deg(const Geometry& geometry, const std::vector<Vec3>& positions);

// How a plane lies on screen. Coronal: patient left on screen right, head up. Sagittal: anterior left, head up.
// Axial: patient left on screen right, anterior up (the axial viewer's convention).
struct PlaneFrame {
  Plane plane = Plane::Axial;
  int depth_axis = 2;            // voxel axis across the plane
  int h_axis = 0, v_axis = 1;    // voxel axes along screen right and screen down
  bool h_flip = false;           // displayed column 0 is the last voxel along h_axis
  bool v_flip = false;           // displayed row 0 is the last voxel along v_axis
  int width = 0, height = 0;     // displayed pixels
  int depth_count = 0;           // planes along depth_axis
  double h_spacing_mm = 1.0, v_spacing_mm = 1.0, depth_spacing_mm = 1.0;
  Vec3 screen_right{1, 0, 0}, screen_down{0, 1, 0};  // patient directions

  double width_mm() const { return width * h_spacing_mm; }
  double height_mm() const { return height * v_spacing_mm; }
  // Displayed column/row of a voxel index along h_axis / v_axis, and back (the same mapping both ways).
  int displayCol(int voxel) const { return h_flip ? width - 1 - voxel : voxel; }
  int displayRow(int voxel) const { return v_flip ? height - 1 - voxel : voxel; }
};

PlaneFrame planeFrame(const Geometry& geometry, const AxisMap& axes, Plane plane);

// Spacing of voxel axis `axis` (0 columns, 1 rows, 2 slices) in mm.
double axisSpacing_mm(const Geometry& geometry, int axis);
int axisCount(const Geometry& geometry, int axis);

// The planes [first, last] of a slab `thickness_mm` thick centred on plane `centre` (at least one plane),
// clamped to the volume.
std::array<int, 2> slabRange(int centre, double thickness_mm, double spacing_mm, int count);

// Projects planes [first, last] across voxel axis `axis` with `mode`. The result is in voxel order (not flipped for
// display): axis 2 -> rows x cols (y then x), axis 1 -> slices x cols (z then x), axis 0 -> slices x rows (z then
// y). Slices not yet decoded are left out; a pixel with no decoded plane is -1024 HU. Throws InputError for a bad
// axis or an empty range.
std::vector<std::int16_t> slabProject(const Volume& volume, int axis, int first, int last, SlabMode mode);

// A plane (or slab) as displayed: frame.height x frame.width HU, row-major, flips applied.
std::vector<std::int16_t> renderPlane(const Volume& volume, const PlaneFrame& frame, int first, int last,
                                      SlabMode mode = SlabMode::Mip);

}  // namespace lunglens::core::volume
