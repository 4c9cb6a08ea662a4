#pragma once
// Tubes: line segments with a radius tapering from one end to the other. Vessels, airways, ribs and the small
// linear findings are all tubes; a z-binned index finds the few that cut a given slice plane, and `splatTube`
// visits only the pixels of a tube's footprint in that plane (no per-voxel loop over all tubes).
#include <algorithm>
#include <cmath>
#include <vector>

namespace lunglens::core::phantom {

struct V3 {
  double x = 0, y = 0, z = 0;
};
inline V3 operator+(V3 a, V3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline V3 operator-(V3 a, V3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline V3 operator*(V3 a, double s) { return {a.x * s, a.y * s, a.z * s}; }
inline double dot(V3 a, V3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline V3 cross(V3 a, V3 b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
inline double norm(V3 a) { return std::sqrt(dot(a, a)); }
inline V3 normalized(V3 a) {
  const double n = norm(a);
  return n > 0 ? a * (1.0 / n) : V3{0, 0, 1};
}

struct Tube {
  V3 a, b;
  double ra = 1.0, rb = 1.0;  // radius at a and at b (mm)
  float value = 0.0f;         // meaning depends on the set (e.g. a finding's target HU)
};

// The pixel grid of one slice: pixel (i, j) has its centre at (x0 + i * px, y0 + j * px) mm.
struct PlaneGrid {
  int cols = 0, rows = 0;
  double x0 = 0, y0 = 0, px = 1;
};

class TubeIndex {
 public:
  // `margin_mm`: the largest pad a caller will splat with.
  void build(const std::vector<Tube>& tubes, double bin_mm = 4.0, double margin_mm = 6.0);
  // Tubes whose z extent (with radius) may reach plane z.
  const std::vector<int>& near(double z) const;

 private:
  double z0_ = 0, bin_ = 4;
  std::vector<std::vector<int>> bins_;
  std::vector<int> none_;
};

// Calls visit(pixelIndex, distance_mm, radius_mm) for every pixel of the plane z within `pad` mm of the tube's
// surface (pad >= 0 extends the footprint, e.g. for anti-aliasing or a wall).
template <class Visit>
void splatTube(const Tube& t, double z, const PlaneGrid& g, double pad, Visit&& visit) {
  const double rmax = std::max(t.ra, t.rb) + pad;
  const V3 ab = t.b - t.a;
  double t0 = 0, t1 = 1;
  if (std::abs(ab.z) < 1e-9) {
    if (std::abs(t.a.z - z) > rmax) return;
  } else {
    t0 = (z - rmax - t.a.z) / ab.z;
    t1 = (z + rmax - t.a.z) / ab.z;
    if (t0 > t1) std::swap(t0, t1);
    t0 = std::max(t0, 0.0);
    t1 = std::min(t1, 1.0);
    if (t0 > t1) return;
  }
  const V3 p0 = t.a + ab * t0, p1 = t.a + ab * t1;
  const int i0 = std::max(0, static_cast<int>(std::floor((std::min(p0.x, p1.x) - rmax - g.x0) / g.px)));
  const int i1 = std::min(g.cols - 1, static_cast<int>(std::ceil((std::max(p0.x, p1.x) + rmax - g.x0) / g.px)));
  const int j0 = std::max(0, static_cast<int>(std::floor((std::min(p0.y, p1.y) - rmax - g.y0) / g.px)));
  const int j1 = std::min(g.rows - 1, static_cast<int>(std::ceil((std::max(p0.y, p1.y) + rmax - g.y0) / g.px)));
  if (i0 > i1 || j0 > j1) return;
  const double len2 = dot(ab, ab);
  const double inv = len2 > 1e-12 ? 1.0 / len2 : 0.0;
  const double dz = z - t.a.z;
  for (int j = j0; j <= j1; ++j) {
    const double y = g.y0 + j * g.px, dy = y - t.a.y;
    for (int i = i0; i <= i1; ++i) {
      const double dx = g.x0 + i * g.px - t.a.x;
      double s = (dx * ab.x + dy * ab.y + dz * ab.z) * inv;
      s = s < 0 ? 0 : (s > 1 ? 1 : s);
      const double ex = dx - s * ab.x, ey = dy - s * ab.y, ez = dz - s * ab.z;
      const double d2 = ex * ex + ey * ey + ez * ez;
      const double r = t.ra + s * (t.rb - t.ra);
      if (d2 > (r + pad) * (r + pad)) continue;
      visit(static_cast<std::size_t>(j) * g.cols + i, std::sqrt(d2), r);
    }
  }
}

// Distance from p to the tube's axis segment, and the tube radius there (for 3D tests away from the raster).
double tubeDistance(const Tube& t, V3 p, double* radius_out);

// Anti-aliased coverage of a pixel whose centre lies `d` from the axis of a tube of radius r.
inline float coverage(double r, double d, double px) {
  const double c = (r - d) / px + 0.5;
  return static_cast<float>(c < 0 ? 0 : (c > 1 ? 1 : c));
}

}  // namespace lunglens::core::phantom
