#include "tests/lung/trachea_reference.h"

#include <cmath>

namespace lunglens::test {
namespace {

struct Region {
  std::vector<std::size_t> pixels;  // indices within the slice
  double cx = 0, cy = 0;            // centroid (pixels)
};

// The 4-connected region of pixels below -500 HU that holds pixel `seed` of slice z (empty when it is not air).
Region airRegionAt(const core::volume::Volume& v, int z, std::size_t seed) {
  const auto& g = v.geometry();
  const std::int16_t* s = v.slice(z);
  Region r;
  if (s[seed] >= -500) return r;
  std::vector<std::uint8_t> seen(g.voxelsPerSlice(), 0);
  r.pixels.push_back(seed);
  seen[seed] = 1;
  for (std::size_t k = 0; k < r.pixels.size(); ++k) {
    const std::size_t i = r.pixels[k];
    const int x = static_cast<int>(i % g.cols), y = static_cast<int>(i / g.cols);
    r.cx += x, r.cy += y;
    const int nb[4][2] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
    for (const auto& p : nb) {
      if (p[0] < 0 || p[1] < 0 || p[0] >= g.cols || p[1] >= g.rows) continue;
      const std::size_t j = static_cast<std::size_t>(p[1]) * g.cols + p[0];
      if (!seen[j] && s[j] < -500) seen[j] = 1, r.pixels.push_back(j);
    }
  }
  r.cx /= static_cast<double>(r.pixels.size()), r.cy /= static_cast<double>(r.pixels.size());
  return r;
}

}  // namespace

std::vector<std::size_t> tracheaLumen(const core::volume::Volume& v) {
  const auto& g = v.geometry();
  const double pixel_mm2 = g.spacing_mm[0] * g.spacing_mm[1];
  auto sized = [&](const Region& r) {
    const double a = static_cast<double>(r.pixels.size()) * pixel_mm2;
    return a >= 50.0 && a <= 600.0;
  };
  const int top = g.normal[2] >= 0 ? g.slices - 1 : 0, down = g.normal[2] >= 0 ? -1 : 1;
  // On the top slice: the sized air region nearest the middle column (not the air around the body: too big).
  Region best;
  double best_dx = 40.0 / g.spacing_mm[0];
  std::vector<std::uint8_t> tried(g.voxelsPerSlice(), 0);
  const std::int16_t* s = v.slice(top);
  for (std::size_t i = 0; i < g.voxelsPerSlice(); ++i) {
    if (tried[i] || s[i] >= -500) continue;
    Region r = airRegionAt(v, top, i);
    for (std::size_t p : r.pixels) tried[p] = 1;
    const double dx = std::abs(r.cx - 0.5 * (g.cols - 1));
    if (sized(r) && dx < best_dx) best_dx = dx, best = std::move(r);
  }
  std::vector<std::size_t> out;
  for (int z = top; !best.pixels.empty() && z >= 0 && z < g.slices; z += down) {
    for (std::size_t p : best.pixels) out.push_back(static_cast<std::size_t>(z) * g.voxelsPerSlice() + p);
    const int next = z + down;
    if (next < 0 || next >= g.slices) break;
    const std::size_t centre = static_cast<std::size_t>(std::lround(best.cy)) * g.cols +
                               static_cast<std::size_t>(std::lround(best.cx));
    Region r = airRegionAt(v, next, centre);
    if (!sized(r) || r.pixels.size() > best.pixels.size() * 2) break;
    best = std::move(r);
  }
  return out;
}

}  // namespace lunglens::test
