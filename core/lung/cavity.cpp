#include "core/lung/cavity.h"

#include <itkConnectedComponentImageFilter.h>
#include <itkFlatStructuringElement.h>
#include <itkGrayscaleDilateImageFilter.h>
#include <itkGrayscaleMorphologicalOpeningImageFilter.h>
#include <itkSliceBySliceImageFilter.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/lung/morphology.h"

namespace lunglens::core::lung {
namespace {

// Twice the mid-sagittal column (rays stop where they cross it): the median over the lungs' slices of
// the body's left-right centre on the rows the lungs occupy (the body, not the lungs: a consolidated lobe shortens
// one lung's extent; the rows keep the table out).
int twiceMidline(const std::uint8_t* sd, const std::uint8_t* outside, int nx, int ny, int nz) {
  std::vector<int> centres;
  const std::size_t ns = static_cast<std::size_t>(nx) * ny;
  for (int z = 0; z < nz; ++z) {
    const std::uint8_t* s = sd + static_cast<std::size_t>(z) * ns;
    const std::uint8_t* o = outside + static_cast<std::size_t>(z) * ns;
    long sum = 0, rows = 0;
    for (int y = 0; y < ny; ++y) {
      const std::uint8_t* row = s + static_cast<std::size_t>(y) * nx;
      if (std::find_if(row, row + nx, [](std::uint8_t v) { return v != 0; }) == row + nx) continue;
      const std::uint8_t* orow = o + static_cast<std::size_t>(y) * nx;
      int a = 0, b = nx - 1;
      while (a < nx && orow[a]) ++a;
      while (b > a && orow[b]) --b;
      sum += a + b, ++rows;
    }
    if (rows) centres.push_back(static_cast<int>(std::lround(static_cast<double>(sum) / static_cast<double>(rows))));
  }
  if (centres.empty()) return nx - 1;
  std::nth_element(centres.begin(), centres.begin() + static_cast<std::ptrdiff_t>(centres.size() / 2), centres.end());
  return centres[centres.size() / 2];
}

}  // namespace

void fillCavity(const HuImage::Pointer& work, const MaskImage::Pointer& airway, const MaskImage::Pointer& outside,
                const MaskImage::Pointer& sides, const CavityParams& params) {
  const auto size = work->GetLargestPossibleRegion().GetSize();
  const int nx = static_cast<int>(size[0]), ny = static_cast<int>(size[1]), nz = static_cast<int>(size[2]);
  const std::size_t ns = static_cast<std::size_t>(nx) * ny, n = ns * nz;
  const auto sp = work->GetSpacing();
  const auto* hu = work->GetBufferPointer();
  const auto* aw = airway->GetBufferPointer();
  const auto* out = outside->GetBufferPointer();
  auto* sd = sides->GetBufferPointer();
  const int twice_mid = twiceMidline(sd, out, nx, ny, nz);
  // Within stop_mm of bone: where a ray has reached the rib cage (also through the gap between two ribs, which the
  // bone on the slices above and below is near). A box (ITK's anchor dilation): cheap, and its size hardly matters.
  MaskImage::Pointer near_bone;
  {
    const MaskImage::Pointer bone = huRange(work, params.bone_hu, std::numeric_limits<std::int16_t>::max());
    using Kernel = itk::FlatStructuringElement<3>;
    Kernel::RadiusType radius;
    for (unsigned a = 0; a < 3; ++a) radius[a] = static_cast<itk::SizeValueType>(std::lround(params.stop_mm / sp[a]));
    auto dilate = itk::GrayscaleDilateImageFilter<MaskImage, MaskImage, Kernel>::New();
    dilate->SetInput(bone);
    dilate->SetKernel(Kernel::Box(radius));
    dilate->Update();
    near_bone = dilate->GetOutput();
    near_bone->DisconnectPipeline();
  }
  const auto* nb = near_bone->GetBufferPointer();
  const double step_mm = 0.5 * std::min(sp[0], sp[1]);
  const auto stop_steps = static_cast<int>(std::ceil(params.stop_mm / step_mm)) + 1;
  const auto max_steps = static_cast<int>(std::ceil(params.max_mm / step_mm));

  // Each lung's widest cross-section (voxels).
  double widest[3] = {0, 0, 0};
  for (int z = 0; z < nz; ++z) {
    double c[3] = {0, 0, 0};
    for (std::size_t j = 0; j < ns; ++j)
      if (const auto v = sd[static_cast<std::size_t>(z) * ns + j]; v == 1 || v == 2) ++c[v];
    for (int v = 1; v <= 2; ++v) widest[v] = std::max(widest[v], c[v]);
  }
  std::vector<std::uint8_t> taken(n, 0);
  std::vector<std::size_t> run;
  std::vector<std::uint8_t> mine(ns);
  for (int z = 0; z < nz; ++z) {
    const std::size_t z0 = static_cast<std::size_t>(z) * ns;
    double cx[3] = {0, 0, 0}, cy[3] = {0, 0, 0}, cn[3] = {0, 0, 0};
    for (std::size_t j = 0; j < ns; ++j)
      if (const auto v = sd[z0 + j]; v == 1 || v == 2)
        cx[v] += static_cast<double>(j % nx), cy[v] += static_cast<double>(j / nx), ++cn[v];
    if (cn[1] == 0 || cn[2] == 0) continue;
    for (const std::uint8_t side : {std::uint8_t{1}, std::uint8_t{2}}) {
      const std::uint8_t other = side == 1 ? 2 : 1;
      const double lx = cx[side] / cn[side], ly = cy[side] / cn[side];
      // Which side of the mid-line this lung lies on (a ray stops where it crosses it), and the way to the other lung.
      const double own = 2.0 * lx - twice_mid;
      double mx = (cx[other] / cn[other] - lx) * sp[0], my = (cy[other] / cn[other] - ly) * sp[1];
      const double len = std::hypot(mx, my);
      if (len <= 0 || own == 0) continue;
      mx /= len, my /= len;
      std::fill(mine.begin(), mine.end(), 0);
      std::size_t added = 0;
      for (int r = 0; r < params.rays; ++r) {
        const double a = 2.0 * M_PI * r / params.rays, ux = std::cos(a), uy = std::sin(a);
        if (ux * mx + uy * my > params.max_medial) continue;
        // Nor forwards and inwards at once: the heart lies there, against the front of the chest wall.
        if (ux * mx + uy * my > 0 && ux * params.anterior[0] + uy * params.anterior[1] > 0) continue;
        const double dx = ux * step_mm / sp[0], dy = uy * step_mm / sp[1];
        bool seen = false, accept = false;
        int since = 0, fat = 0, entered = -1, air = 0, fat_run = 0;
        std::size_t last = n, kept = 0;
        run.clear();
        for (int k = 1;; ++k) {
          const int x = static_cast<int>(std::lround(lx + k * dx)), y = static_cast<int>(std::lround(ly + k * dy));
          if (x < 0 || y < 0 || x >= nx || y >= ny || (2.0 * x - twice_mid) * own < 0) break;
          const std::size_t i = z0 + static_cast<std::size_t>(y) * nx + x;
          if (i == last) continue;
          last = i;
          if (sd[i] == side) {
            seen = true, since = k, fat = 0, entered = -1, air = 0, fat_run = 0, accept = false, kept = 0;
            run.clear();
            continue;
          }
          if (sd[i] == other || out[i] || aw[i]) break;
          if (hu[i] >= params.bone_hu) {
            if (seen && !run.empty()) accept = true, kept = run.size();
            break;
          }
          if (!seen) continue;  // the centre lies outside the lung (a crescent's): not beyond it yet
          if (k - since > max_steps) break;
          if (nb[i] && entered < 0) {
            // At the rib cage: lung up to here; on up to the bone itself if it is there (not a gap between ribs).
            // Not at the front of the spine or the sternum (near the mid-line): those bound the mediastinum.
            if (std::abs(2.0 * x - twice_mid) * 0.5 * sp[0] < params.mid_mm) break;
            entered = k, accept = true, kept = run.size();
          }
          if (entered >= 0 && k - entered > stop_steps) break;
          // A little air here is a bronchogram inside the consolidation; more is an airway (a main bronchus).
          air = hu[i] < params.air_hu ? air + 1 : 0;
          if (air * step_mm > params.bronchogram_mm) break;
          run.push_back(i);
          // Fat (a layer of it: the mediastinum's, the pericardium's, the chest wall's) is not lung.
          const bool is_fat = hu[i] >= params.fat_lo_hu && hu[i] <= params.fat_hi_hu;
          fat_run = is_fat ? fat_run + 1 : 0;
          if (fat_run * step_mm > params.fat_layer_mm) break;
          if (is_fat) ++fat;
        }
        run.resize(kept);
        if (!accept || static_cast<double>(fat) > params.fat_share * static_cast<double>(run.size())) continue;
        for (const std::size_t i : run)
          if (!mine[i - z0]) mine[i - z0] = 1, ++added;
      }
      // Little lung on the slice (a remnant at the base, the abdomen beyond it) or far more added than is there.
      if (cn[side] < params.min_share * widest[side] || static_cast<double>(added) > params.max_ratio * cn[side])
        continue;
      for (std::size_t j = 0; j < ns; ++j)
        if (mine[j]) taken[z0 + j] |= side;
    }
  }
  // Opened in-plane: what a few rays take alone (a spike along the heart's edge to the sternum, the thin layer
  // between the lung's edge and the ribs) goes; a consolidated lobe is a solid region.
  auto mask = newMask(work);
  auto* m = mask->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) m[i] = (taken[i] == 1 || taken[i] == 2) ? 1 : 0;
  using Mask2D = itk::Image<std::uint8_t, 2>;
  using Label2D = itk::Image<std::uint32_t, 2>;
  using Kernel = itk::FlatStructuringElement<3>;
  Kernel::RadiusType radius;
  radius[0] = static_cast<itk::SizeValueType>(std::max(1L, std::lround(params.open_mm / sp[0])));
  radius[1] = static_cast<itk::SizeValueType>(std::max(1L, std::lround(params.open_mm / sp[1])));
  radius[2] = 0;
  auto open = itk::GrayscaleMorphologicalOpeningImageFilter<MaskImage, MaskImage, Kernel>::New();
  open->SetInput(mask);
  open->SetKernel(Kernel::Box(radius));
  open->Update();
  // Not on the abdomen: the top of the liver beyond a basal crescent has the abdomen under it, a bite in the lung
  // has lung under it. Slice by slice from the feet up, a region of what the rays add stays where at least half of it
  // lies over lung or over what stayed on the slice below. (Per slice, not per 3D region as the dome rule does: a
  // posterior band of bites runs down to the diaphragm, and only its lowest part rests on it.)
  auto cc =
      itk::SliceBySliceImageFilter<MaskImage, LabelImage, itk::ConnectedComponentImageFilter<Mask2D, Label2D>>::New();
  auto inner = itk::ConnectedComponentImageFilter<Mask2D, Label2D>::New();
  inner->SetFullyConnected(false);
  cc->SetFilter(inner);
  cc->SetDimension(2);
  cc->SetInput(open->GetOutput());
  cc->Update();
  const auto* lab = cc->GetOutput()->GetBufferPointer();
  std::vector<std::uint8_t> kept(n, 0);
  std::vector<std::int64_t> area, held;
  for (int t = 0; t < nz; ++t) {
    const int z = params.down < 0 ? t : nz - 1 - t;  // from the feet up
    const int zb = z + params.down;
    const std::size_t z0 = static_cast<std::size_t>(z) * ns;
    std::uint32_t k = 0;
    for (std::size_t j = 0; j < ns; ++j) k = std::max(k, lab[z0 + j]);
    if (!k) continue;
    area.assign(k + 1, 0), held.assign(k + 1, 0);
    for (std::size_t j = 0; j < ns; ++j)
      if (const auto v = lab[z0 + j]) {
        ++area[v];
        if (zb >= 0 && zb < nz) {
          const std::size_t b = static_cast<std::size_t>(zb) * ns + j;
          if (sd[b] || kept[b] || !params.off_abdomen) ++held[v];
        }
      }
    for (std::size_t j = 0; j < ns; ++j)
      if (const auto v = lab[z0 + j]; v && 2 * held[v] >= area[v]) kept[z0 + j] = 1;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (kept[i]) sd[i] = taken[i];
}

}  // namespace lunglens::core::lung
