#include "core/lung/costal.h"

#include <itkConnectedComponentImageFilter.h>
#include <itkFlatStructuringElement.h>
#include <itkGrayscaleErodeImageFilter.h>
#include <itkSliceBySliceImageFilter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace lunglens::core::lung {
namespace {

struct Pt {
  double x, y;
};

double cross(const Pt& o, const Pt& a, const Pt& b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

// Convex hull (Andrew's monotone chain) of points sorted by (y, x); counter-clockwise, no repeated end point.
std::vector<Pt> hull(std::vector<Pt> p) {
  if (p.size() < 3) return p;
  std::sort(p.begin(), p.end(), [](const Pt& a, const Pt& b) { return a.y < b.y || (a.y == b.y && a.x < b.x); });
  std::vector<Pt> h(2 * p.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  for (std::size_t i = p.size() - 1, t = k + 1; i-- > 0;) {
    while (k >= t && cross(h[k - 2], h[k - 1], p[i]) <= 0) --k;
    h[k++] = p[i];
  }
  h.resize(k - 1);
  return h;
}

// Row extents [lo, hi] of one lung's convex hull on one slice (lo > hi: the row is outside it).
void hullRows(const std::uint8_t* slice, std::uint8_t side, int nx, int ny, std::vector<int>& lo,
              std::vector<int>& hi) {
  lo.assign(static_cast<std::size_t>(ny), 1);
  hi.assign(static_cast<std::size_t>(ny), 0);
  std::vector<Pt> pts;
  for (int y = 0; y < ny; ++y) {
    int a = nx, b = -1;
    for (int x = 0; x < nx; ++x)
      if (slice[static_cast<std::size_t>(y) * nx + x] == side) a = std::min(a, x), b = std::max(b, x);
    if (b >= 0)
      pts.push_back({static_cast<double>(a), static_cast<double>(y)}),
          pts.push_back({static_cast<double>(b), static_cast<double>(y)});
  }
  if (pts.empty()) return;
  const std::vector<Pt> h = hull(pts);
  for (int y = 0; y < ny; ++y) {
    double a = std::numeric_limits<double>::infinity(), b = -a;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const Pt& p = h[i];
      const Pt& q = h[(i + 1) % h.size()];
      if ((y < p.y && y < q.y) || (y > p.y && y > q.y)) continue;
      if (p.y == q.y) {
        a = std::min({a, p.x, q.x}), b = std::max({b, p.x, q.x});
        continue;
      }
      const double x = p.x + (q.x - p.x) * (y - p.y) / (q.y - p.y);
      a = std::min(a, x), b = std::max(b, x);
    }
    if (b >= a)
      lo[static_cast<std::size_t>(y)] = static_cast<int>(std::ceil(a - 1e-6)),
      hi[static_cast<std::size_t>(y)] = static_cast<int>(std::floor(b + 1e-6));
  }
}

// A bounding box on the working grid (inclusive).
struct Box {
  int x0 = 1 << 30, x1 = -1, y0 = 1 << 30, y1 = -1, z0 = 1 << 30, z1 = -1;
  bool empty() const { return x1 < 0; }
  void add(int x, int y, int z) {
    x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    z0 = std::min(z0, z), z1 = std::max(z1, z);
  }
};

// Voxel offsets within radius_mm (in-plane only when `planar`), nearest first, so a search can stop at the first hit.
struct Offset {
  int dx, dy, dz;
  double d;
};
std::vector<Offset> ballOffsets(const itk::Vector<double, 3>& sp, double radius_mm, bool planar) {
  std::vector<Offset> out;
  const int rx = static_cast<int>(radius_mm / sp[0]), ry = static_cast<int>(radius_mm / sp[1]);
  const int rz = planar ? 0 : static_cast<int>(radius_mm / sp[2]);
  for (int dz = -rz; dz <= rz; ++dz)
    for (int dy = -ry; dy <= ry; ++dy)
      for (int dx = -rx; dx <= rx; ++dx) {
        const double d = std::sqrt(dx * sp[0] * dx * sp[0] + dy * sp[1] * dy * sp[1] + dz * sp[2] * dz * sp[2]);
        if (d <= radius_mm) out.push_back({dx, dy, dz, d});
      }
  std::sort(out.begin(), out.end(), [](const Offset& a, const Offset& b) { return a.d < b.d; });
  return out;
}

}  // namespace

void fillCostalBites(const HuImage::Pointer& work, const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                     const MaskImage::Pointer& sides, const CostalParams& params) {
  const auto size = work->GetLargestPossibleRegion().GetSize();
  const int nx = static_cast<int>(size[0]), ny = static_cast<int>(size[1]), nz = static_cast<int>(size[2]);
  const std::size_t ns = static_cast<std::size_t>(nx) * ny, n = ns * nz;
  const auto* hu = work->GetBufferPointer();
  const auto* aw = airway->GetBufferPointer();
  auto* sd = sides->GetBufferPointer();

  // Bone (ribs, sternum, spine) within wall_mm, and outside air within skin_mm in-plane, are looked for around the
  // few voxels on a bite's open side only (two distance maps over the whole grid cost more than the rest together).
  const auto* out = outside->GetBufferPointer();
  const std::vector<Offset> to_bone = ballOffsets(work->GetSpacing(), params.wall_mm, false);
  const std::vector<Offset> to_skin = ballOffsets(work->GetSpacing(), params.skin_mm, true);
  auto along_wall = [&](int x, int y, int z) {
    for (const Offset& o : to_bone) {
      const int a = x + o.dx, b = y + o.dy, c = z + o.dz;
      if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
      if (hu[(static_cast<std::size_t>(c) * ny + b) * nx + a] >= params.bone_hu) return true;
    }
    for (const Offset& o : to_skin) {
      const int a = x + o.dx, b = y + o.dy;
      if (a < 0 || b < 0 || a >= nx || b >= ny) continue;
      if (out[(static_cast<std::size_t>(z) * ny + b) * nx + a]) return true;
    }
    return false;
  };

  using Mask2D = itk::Image<std::uint8_t, 2>;
  using Label2D = itk::Image<std::uint32_t, 2>;
  // Both lungs judge their bites on the same mask; a region both would take (between them) goes to neither, so
  // the result does not depend on which lung comes first (a mirrored series gives the mirrored mask).
  std::vector<std::uint8_t> taken(n, 0);
  // Everything a side's bites can be lies inside its hull, so inside its bounding box; the regions are found on
  // that box grown by more than the split's erosion (outside it the gap is empty, as on the whole grid).
  const int margin = params.split_px + 2;
  std::array<Box, 3> boxes;
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x)
        if (const auto v = sd[(static_cast<std::size_t>(z) * ny + y) * nx + x]; v == 1 || v == 2) boxes[v].add(x, y, z);
  for (const std::uint8_t side : {std::uint8_t{1}, std::uint8_t{2}}) {
    Box b = boxes[side];
    if (b.empty()) continue;
    b.x0 = std::max(0, b.x0 - margin), b.x1 = std::min(nx - 1, b.x1 + margin);
    b.y0 = std::max(0, b.y0 - margin), b.y1 = std::min(ny - 1, b.y1 + margin);
    const int bx = b.x1 - b.x0 + 1, by = b.y1 - b.y0 + 1, bz = b.z1 - b.z0 + 1;
    const std::size_t bns = static_cast<std::size_t>(bx) * by, bn = bns * bz;
    auto full = [&](int x, int y, int z) {  // box coordinates -> index on the whole grid
      return (static_cast<std::size_t>(z + b.z0) * ny + (y + b.y0)) * nx + (x + b.x0);
    };
    // What the hull adds on each slice: not lung, not bone, not airway or gas.
    std::vector<int> lo(static_cast<std::size_t>(ny) * bz), hi(lo.size());
    auto gap = MaskImage::New();
    MaskImage::RegionType region;
    region.SetSize({{static_cast<itk::SizeValueType>(bx), static_cast<itk::SizeValueType>(by),
                     static_cast<itk::SizeValueType>(bz)}});
    gap->SetRegions(region);
    gap->Allocate(true);
    auto* g = gap->GetBufferPointer();
    std::vector<int> l, h;
    for (int z = 0; z < bz; ++z) {
      hullRows(sd + static_cast<std::size_t>(z + b.z0) * ns, side, nx, ny, l, h);
      std::copy(l.begin(), l.end(), lo.begin() + static_cast<std::ptrdiff_t>(z) * ny);
      std::copy(h.begin(), h.end(), hi.begin() + static_cast<std::ptrdiff_t>(z) * ny);
      for (int y = b.y0; y <= b.y1; ++y)
        for (int x = std::max(b.x0, l[static_cast<std::size_t>(y)]);
             x <= std::min(b.x1, h[static_cast<std::size_t>(y)]); ++x) {
          const std::size_t i = full(x - b.x0, y - b.y0, z);
          g[static_cast<std::size_t>(z) * bns + static_cast<std::size_t>(y - b.y0) * bx + (x - b.x0)] =
              (!sd[i] && !aw[i] && hu[i] < params.bone_hu) ? 1 : 0;
        }
    }
    auto cc =
        itk::SliceBySliceImageFilter<MaskImage, LabelImage, itk::ConnectedComponentImageFilter<Mask2D, Label2D>>::New();
    auto inner = itk::ConnectedComponentImageFilter<Mask2D, Label2D>::New();
    inner->SetFullyConnected(false);
    cc->SetFilter(inner);
    cc->SetDimension(2);
    // Regions are told apart on the gap eroded in-plane, then grown back over it: two bites joined by the thin
    // sliver between the hull's edge and the chest wall are judged each on its own.
    using Kernel = itk::FlatStructuringElement<3>;
    Kernel::RadiusType radius;
    radius[0] = radius[1] = static_cast<itk::SizeValueType>(params.split_px), radius[2] = 0;
    // A square (decomposable: ITK erodes it with the anchor algorithm, ~20x faster than a binary erosion by a disc).
    auto erode = itk::GrayscaleErodeImageFilter<MaskImage, MaskImage, Kernel>::New();
    erode->SetInput(gap);
    erode->SetKernel(Kernel::Box(radius));
    cc->SetInput(erode->GetOutput());
    cc->Update();
    std::vector<std::uint32_t> lab(cc->GetOutput()->GetBufferPointer(), cc->GetOutput()->GetBufferPointer() + bn);
    std::vector<std::uint32_t> prev;
    for (int pass = 0; pass < 2 * params.split_px; ++pass) {  // the square's corners are 2 * split_px steps away
      prev = lab;
      for (std::size_t i = 0; i < bn; ++i) {
        if (!g[i] || prev[i]) continue;
        const std::size_t x = i % bx, y = (i / bx) % by;
        if (x > 0 && prev[i - 1])
          lab[i] = prev[i - 1];
        else if (x + 1 < static_cast<std::size_t>(bx) && prev[i + 1])
          lab[i] = prev[i + 1];
        else if (y > 0 && prev[i - bx])
          lab[i] = prev[i - bx];
        else if (y + 1 < static_cast<std::size_t>(by) && prev[i + bx])
          lab[i] = prev[i + bx];
      }
    }
    auto in_hull = [&](int x, int y, int z) {  // whole-grid coordinates (the rows are kept for the box's slices)
      if (y < 0 || y >= ny) return false;
      const std::size_t r = static_cast<std::size_t>(z - b.z0) * ny + y;
      return x >= lo[r] && x <= hi[r];
    };
    const std::uint8_t other = side == 1 ? 2 : 1;
    std::vector<std::int64_t> edge, near;
    std::vector<double> gx, gy, gn, ex, ey;
    const auto sp = work->GetSpacing();
    // Where the other lung lies (the mediastinum is between the two): its centroid on the slice, or over all.
    double ox_all = 0, oy_all = 0, on_all = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (sd[i] == other) ox_all += static_cast<double>(i % nx), oy_all += static_cast<double>((i / nx) % ny), ++on_all;
    for (int bzi = 0; bzi < bz; ++bzi) {
      const int z = bzi + b.z0;
      const std::size_t z0 = static_cast<std::size_t>(z) * ns, bz0 = static_cast<std::size_t>(bzi) * bns;
      std::uint32_t k = 0;
      for (std::size_t j = 0; j < bns; ++j) k = std::max(k, lab[bz0 + j]);
      double lx = 0, ly = 0, ln = 0, ox = 0, oy = 0, on = 0;
      for (std::size_t j = 0; j < ns; ++j) {
        const double x = static_cast<double>(j % nx), y = static_cast<double>(j / nx);
        if (sd[z0 + j] == side)
          lx += x, ly += y, ++ln;
        else if (sd[z0 + j] == other)
          ox += x, oy += y, ++on;
      }
      if (!k || ln == 0) continue;
      if (on == 0) ox = ox_all, oy = oy_all, on = on_all;
      lx /= ln, ly /= ln;
      // Unit vector (mm) from this lung towards the other one; none with a single lung.
      double mx = 0, my = 0;
      if (on > 0) {
        mx = (ox / on - lx) * sp[0], my = (oy / on - ly) * sp[1];
        const double len = std::hypot(mx, my);
        if (len > 0) mx /= len, my /= len;
      }
      edge.assign(k + 1, 0), near.assign(k + 1, 0);
      gx.assign(k + 1, 0), gy.assign(k + 1, 0), gn.assign(k + 1, 0), ex.assign(k + 1, 0), ey.assign(k + 1, 0);
      for (std::size_t j = 0; j < bns; ++j)
        if (const auto v = lab[bz0 + j])
          gx[v] += static_cast<double>(j % bx + b.x0), gy[v] += static_cast<double>(j / bx + b.y0), ++gn[v];
      // The bite's open side: its pixels on the hull's edge, and how many of them lie along the ribs.
      for (int y = b.y0; y <= b.y1; ++y)
        for (int x = b.x0; x <= b.x1; ++x) {
          const auto v = lab[bz0 + static_cast<std::size_t>(y - b.y0) * bx + (x - b.x0)];
          if (!v) continue;
          if (in_hull(x - 1, y, z) && in_hull(x + 1, y, z) && in_hull(x, y - 1, z) && in_hull(x, y + 1, z)) continue;
          ++edge[v];
          ex[v] += x, ey[v] += y;
          if (along_wall(x, y, z)) ++near[v];
        }
      // A bite opens towards the chest wall; what opens towards the other lung is mediastinum (the heart in the left
      // lung's concavity, the hilum) or, in the basal crescent, the abdomen (the liver or spleen under the dome).
      std::vector<std::uint8_t> take(k + 1, 0);
      for (std::uint32_t v = 1; v <= k; ++v) {
        if (edge[v] == 0 || static_cast<double>(near[v]) < params.along * static_cast<double>(edge[v])) continue;
        // Where it lies from the lung's centre, and which way its open side faces (from its centre to the middle of
        // its edge on the hull): neither towards the other lung.
        auto towards_other = [&](double ux, double uy) {
          ux *= sp[0], uy *= sp[1];
          const double len = std::hypot(ux, uy);
          return len > 0 && (ux * mx + uy * my) / len > params.max_medial;
        };
        const double cx = gx[v] / gn[v], cy = gy[v] / gn[v];
        const double fx = ex[v] / static_cast<double>(edge[v]), fy = ey[v] / static_cast<double>(edge[v]);
        take[v] = towards_other(cx - lx, cy - ly) || towards_other(fx - cx, fy - cy) ? 0 : 1;
      }
      for (std::size_t j = 0; j < bns; ++j)
        if (const auto v = lab[bz0 + j]; v && take[v])
          taken[full(static_cast<int>(j % bx), static_cast<int>(j / bx), bzi)] |= side;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    if (taken[i] == 1 || taken[i] == 2) sd[i] = taken[i];
}

}  // namespace lunglens::core::lung
