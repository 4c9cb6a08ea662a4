#include "core/volume/reformat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/common/error.h"

namespace lunglens::core::volume {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr std::int16_t kNoData = -1024;  // air: what an undecoded plane shows

double degrees(double cosine) { return std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / kPi; }

std::string fixed1(double v) {
  const long tenths = std::lround(v * 10.0);
  return std::to_string(tenths / 10) + "." + std::to_string(std::abs(tenths % 10));
}

}  // namespace

const char* planeName(Plane plane) {
  switch (plane) {
    case Plane::Axial: return "Axial";
    case Plane::Coronal: return "Coronal";
    case Plane::Sagittal: return "Sagittal";
  }
  return "?";
}

const char* slabModeName(SlabMode m) {
  switch (m) {
    case SlabMode::Mip: return "MIP";
    case SlabMode::MinIp: return "MinIP";
    case SlabMode::Average: return "Average";
  }
  return "?";
}

AxisMap axisMap(const Geometry& g) {
  const Vec3 dirs[3] = {g.row_dir, g.col_dir, g.normal};
  AxisMap m;
  std::array<bool, 3> taken{false, false, false};
  for (int v = 0; v < 3; ++v) {
    const double len = std::sqrt(dot(dirs[v], dirs[v]));
    if (!(len > 0.0)) throw InputError("reformat", "the series has no valid orientation");
    int best = 0;
    for (int p = 1; p < 3; ++p) {
      if (std::abs(dirs[v][p]) > std::abs(dirs[v][best])) best = p;
    }
    const double dev = degrees(std::abs(dirs[v][best]) / len);
    m.worst_deviation_deg = std::max(m.worst_deviation_deg, dev);
    if (taken[best]) throw InputError("reformat", "two image axes point along the same patient axis");
    taken[best] = true;
    m.voxel_axis[best] = v;
    m.sign[best] = dirs[v][best] > 0 ? 1 : -1;
  }
  if (m.worst_deviation_deg > kMaxObliqueDeg) {
    throw InputError("reformat", "oblique or gantry-tilted series (an image axis is " + fixed1(m.worst_deviation_deg) +
                                     " degrees off the patient axes, more than " + fixed1(kMaxObliqueDeg) +
                                     "): coronal and sagittal reformats are not supported; read it axially");
  }
  return m;
}

double stackTilt_deg(const Geometry& g, const std::vector<Vec3>& positions) {
  if (positions.size() < 2) return 0.0;
  Vec3 d{};
  for (int i = 0; i < 3; ++i) d[i] = positions.back()[i] - positions.front()[i];
  const double len = std::sqrt(dot(d, d));
  if (!(len > 0.0)) return 0.0;
  const double nlen = std::sqrt(dot(g.normal, g.normal));
  return degrees(std::abs(dot(d, g.normal)) / (len * nlen));
}

double axisSpacing_mm(const Geometry& g, int axis) { return g.spacing_mm[static_cast<std::size_t>(axis)]; }

int axisCount(const Geometry& g, int axis) { return axis == 0 ? g.cols : axis == 1 ? g.rows : g.slices; }

PlaneFrame planeFrame(const Geometry& g, const AxisMap& axes, Plane plane) {
  constexpr int X = 0, Y = 1, Z = 2;
  PlaneFrame f;
  f.plane = plane;
  int hPatient = X, vPatient = Y, depthPatient = Z;
  bool vDownIsPlus = true;  // screen down = +patient axis (axial: +Y posterior) or - (coronal/sagittal: -Z feet)
  switch (plane) {
    case Plane::Axial: hPatient = X; vPatient = Y; depthPatient = Z; vDownIsPlus = true; break;
    case Plane::Coronal: hPatient = X; vPatient = Z; depthPatient = Y; vDownIsPlus = false; break;
    case Plane::Sagittal: hPatient = Y; vPatient = Z; depthPatient = X; vDownIsPlus = false; break;
  }
  f.h_axis = axes.voxel_axis[hPatient];
  f.v_axis = axes.voxel_axis[vPatient];
  f.depth_axis = axes.voxel_axis[depthPatient];
  // Screen right is always +patient (left for X, posterior for Y).
  f.h_flip = axes.sign[hPatient] < 0;
  f.v_flip = vDownIsPlus ? axes.sign[vPatient] < 0 : axes.sign[vPatient] > 0;
  f.width = axisCount(g, f.h_axis);
  f.height = axisCount(g, f.v_axis);
  f.depth_count = axisCount(g, f.depth_axis);
  f.h_spacing_mm = axisSpacing_mm(g, f.h_axis);
  f.v_spacing_mm = axisSpacing_mm(g, f.v_axis);
  f.depth_spacing_mm = axisSpacing_mm(g, f.depth_axis);
  f.screen_right = {0, 0, 0};
  f.screen_right[static_cast<std::size_t>(hPatient)] = 1.0;
  f.screen_down = {0, 0, 0};
  f.screen_down[static_cast<std::size_t>(vPatient)] = vDownIsPlus ? 1.0 : -1.0;
  return f;
}

std::array<int, 2> slabRange(int centre, double thickness_mm, double spacing_mm, int count) {
  const int n = std::max(1, static_cast<int>(std::lround(thickness_mm / std::max(spacing_mm, 1e-6))));
  int first = centre - (n - 1) / 2;
  int last = first + n - 1;
  first = std::clamp(first, 0, std::max(0, count - 1));
  last = std::clamp(last, 0, std::max(0, count - 1));
  return {first, last};
}

std::vector<std::int16_t> slabProject(const Volume& volume, int axis, int first, int last, SlabMode mode) {
  const Geometry& g = volume.geometry();
  if (axis < 0 || axis > 2) throw InputError("slab", "axis " + std::to_string(axis) + " is not 0, 1 or 2");
  const int count = axisCount(g, axis);
  if (first > last || first < 0 || last >= count) {
    throw InputError("slab", "planes " + std::to_string(first) + ".." + std::to_string(last) + " are outside 0.." +
                                 std::to_string(count - 1));
  }
  // Output grid: (outer, inner) = (y, x) for axis 2, (z, x) for axis 1, (z, y) for axis 0.
  const int inner = axis == 0 ? g.rows : g.cols;
  const int outer = axis == 2 ? g.rows : g.slices;
  const std::size_t n = static_cast<std::size_t>(inner) * static_cast<std::size_t>(outer);
  std::vector<std::int32_t> acc(n, mode == SlabMode::Mip     ? std::numeric_limits<std::int32_t>::min()
                                   : mode == SlabMode::MinIp ? std::numeric_limits<std::int32_t>::max()
                                                             : 0);
  std::vector<std::int32_t> hits(n, 0);
  auto take = [&](std::size_t i, std::int16_t v) {
    switch (mode) {
      case SlabMode::Mip: acc[i] = std::max<std::int32_t>(acc[i], v); break;
      case SlabMode::MinIp: acc[i] = std::min<std::int32_t>(acc[i], v); break;
      case SlabMode::Average: acc[i] += v; break;
    }
    ++hits[i];
  };
  if (axis == 2) {
    for (int z = first; z <= last; ++z) {
      if (!volume.sliceReady(z)) continue;
      const std::int16_t* s = volume.slice(z);
      for (std::size_t i = 0; i < n; ++i) take(i, s[i]);
    }
  } else {
    for (int z = 0; z < g.slices; ++z) {
      if (!volume.sliceReady(z)) continue;
      const std::int16_t* s = volume.slice(z);
      for (int k = first; k <= last; ++k) {
        if (axis == 1) {  // row k of slice z -> output row z
          const std::int16_t* row = s + static_cast<std::size_t>(k) * g.cols;
          const std::size_t base = static_cast<std::size_t>(z) * g.cols;
          for (int x = 0; x < g.cols; ++x) take(base + x, row[x]);
        } else {  // column k of slice z -> output row z
          const std::size_t base = static_cast<std::size_t>(z) * g.rows;
          for (int y = 0; y < g.rows; ++y) take(base + y, s[static_cast<std::size_t>(y) * g.cols + k]);
        }
      }
    }
  }
  std::vector<std::int16_t> out(n, kNoData);
  for (std::size_t i = 0; i < n; ++i) {
    if (hits[i] == 0) continue;
    out[i] = static_cast<std::int16_t>(mode == SlabMode::Average
                                           ? static_cast<std::int32_t>(std::lround(static_cast<double>(acc[i]) / hits[i]))
                                           : acc[i]);
  }
  return out;
}

std::vector<std::int16_t> renderPlane(const Volume& volume, const PlaneFrame& f, int first, int last, SlabMode mode) {
  const std::vector<std::int16_t> raw = slabProject(volume, f.depth_axis, first, last, mode);
  // raw is (outer, inner) in voxel order; inner is the lower-numbered of the two in-plane voxel axes.
  const int a = std::min(f.h_axis, f.v_axis);
  const int innerCount = axisCount(volume.geometry(), a);
  const bool hIsInner = f.h_axis == a;
  std::vector<std::int16_t> out(static_cast<std::size_t>(f.width) * f.height);
  for (int r = 0; r < f.height; ++r) {
    const int vv = f.displayRow(r);
    for (int c = 0; c < f.width; ++c) {
      const int hv = f.displayCol(c);
      const int in = hIsInner ? hv : vv, ou = hIsInner ? vv : hv;
      out[static_cast<std::size_t>(r) * f.width + c] = raw[static_cast<std::size_t>(ou) * innerCount + in];
    }
  }
  return out;
}

}  // namespace lunglens::core::volume
