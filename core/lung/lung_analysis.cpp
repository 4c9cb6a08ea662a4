#include "core/lung/lung_analysis.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <itkBinaryDilateImageFilter.h>
#include <itkFlatStructuringElement.h>
#include <itkImportImageFilter.h>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/lung/itk_bridge.h"
#include "core/lung/opacity.h"
#include "core/lung/segmentation.h"
#include "core/lung/voxel_opacity.h"

namespace lunglens::core::lung {
namespace {

const char* kContext = "lung analysis";

// Refuses what cannot be analysed as one 3D chest volume, with the reason.
void checkInput(const volume::Volume& v) {
  const auto& g = v.geometry();
  if (!v.complete()) {
    std::ostringstream m;
    m << "the series is not completely loaded (" << v.readySliceCount() << " of " << g.slices << " slices)";
    throw InputError(kContext, m.str());
  }
  if (g.slices < 3 || g.cols < 32 || g.rows < 32)
    throw InputError(kContext, "no lungs found: " + std::to_string(g.slices) + " slice(s) of " +
                                   std::to_string(g.cols) + "x" + std::to_string(g.rows) +
                                   " is not a chest CT volume");
  for (int a = 0; a < 3; ++a)
    if (!(g.spacing_mm[a] > 0.05 && g.spacing_mm[a] < 50))
      throw InputError(kContext, "voxel spacing out of range");
  const double sxy_ratio = std::max(g.spacing_mm[0], g.spacing_mm[1]) / std::min(g.spacing_mm[0], g.spacing_mm[1]);
  if (sxy_ratio > 3.0 || g.spacing_mm[2] > 12.0) {
    std::ostringstream m;
    m << "voxel spacing too anisotropic or too coarse for a 3D lung mask (" << g.spacing_mm[0] << " x "
      << g.spacing_mm[1] << " x " << g.spacing_mm[2] << " mm; at most 3:1 in-plane and 12 mm between slices)";
    throw InputError(kContext, m.str());
  }
  // Gaps: a slice distance well above the nominal spacing means missing slices; the 3D mask would be wrong there.
  for (int z = 1; z < g.slices; ++z) {
    const double step = v.slicePosition_mm(z) - v.slicePosition_mm(z - 1);
    if (step > 1.6 * g.spacing_mm[2] + 0.01 || step <= 0.0) {
      std::ostringstream m;
      m << "the series has a gap between slices " << z - 1 << " and " << z << " (" << step << " mm, spacing "
        << g.spacing_mm[2] << " mm): slices are missing";
      throw InputError(kContext, m.str());
    }
  }
}

struct SliceAccumulator {
  std::array<std::int64_t, kZoneCount> voxels{}, ggo{}, cons{};
  std::array<double, kZoneCount> hu_sum{};
};

void finish(RegionStats& r, std::int64_t voxels, double hu_sum, std::int64_t ggo, std::int64_t cons,
            double voxel_ml) {
  r.voxels = voxels;
  r.volume_ml = static_cast<double>(voxels) * voxel_ml;
  r.mean_hu = voxels ? hu_sum / static_cast<double>(voxels) : 0.0;
  r.ggo_percent = voxels ? 100.0 * static_cast<double>(ggo) / static_cast<double>(voxels) : 0.0;
  r.consolidation_percent = voxels ? 100.0 * static_cast<double>(cons) / static_cast<double>(voxels) : 0.0;
}

}  // namespace

const char* zoneName(Zone zone) {
  switch (zone) {
    case Zone::RightUpper: return "right_upper";
    case Zone::RightMiddle: return "right_middle";
    case Zone::RightLower: return "right_lower";
    case Zone::LeftUpper: return "left_upper";
    case Zone::LeftMiddle: return "left_middle";
    case Zone::LeftLower: return "left_lower";
    case Zone::None: break;
  }
  return "none";
}

int zoneScore(double involved_percent) {
  // The bands are in whole percent. Under half a percent of a zone is "0 %": it is what vessels at the hila,
  // partial volume and noise add on a lung without disease (0.1-0.2 % a zone on A0001), and scoring it 1 made a
  // normal lung score 3-4 of 24.
  const double whole = std::round(involved_percent);
  if (whole <= 0.0) return 0;
  if (whole <= 25.0) return 1;
  if (whole <= 50.0) return 2;
  if (whole <= 75.0) return 3;
  return 4;
}

std::vector<std::uint8_t> dilatedSliceMask(const LungMask& mask, int z, double dilation_mm) {
  const auto& g = mask.geometry;
  std::vector<std::uint8_t> out(g.voxelsPerSlice(), 0);
  if (z < 0 || z >= g.slices) return out;
  const std::uint8_t* s = mask.slice(z);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = s[i] ? 1 : 0;
  if (dilation_mm <= 0.0 || !mask.sliceHasLung(z)) return out;
  using Mask2D = itk::Image<std::uint8_t, 2>;
  auto import = itk::ImportImageFilter<std::uint8_t, 2>::New();
  itk::ImportImageFilter<std::uint8_t, 2>::SizeType size;
  size[0] = static_cast<itk::SizeValueType>(g.cols);
  size[1] = static_cast<itk::SizeValueType>(g.rows);
  itk::ImportImageFilter<std::uint8_t, 2>::IndexType start;
  start.Fill(0);
  import->SetRegion({start, size});
  import->SetImportPointer(out.data(), out.size(), false);
  // A disc in millimetres: per-axis radius from the pixel spacing (an ellipse in pixels when they are not square).
  using Kernel = itk::FlatStructuringElement<2>;
  Kernel::RadiusType radius;
  radius[0] = static_cast<itk::SizeValueType>(std::max(1L, std::lround(dilation_mm / g.spacing_mm[0])));
  radius[1] = static_cast<itk::SizeValueType>(std::max(1L, std::lround(dilation_mm / g.spacing_mm[1])));
  auto dilate = itk::BinaryDilateImageFilter<Mask2D, Mask2D, Kernel>::New();
  dilate->SetInput(import->GetOutput());
  dilate->SetKernel(Kernel::Ball(radius));
  dilate->SetForegroundValue(1);
  dilate->SetBackgroundValue(0);
  dilate->Update();
  const auto* d = dilate->GetOutput()->GetBufferPointer();
  return std::vector<std::uint8_t>(d, d + out.size());
}

LungAnalysis analyzeLungs(const volume::Volume& volume, const AnalysisOptions& options, const CancelToken& cancel) {
  checkInput(volume);
  const auto& g = volume.geometry();
  const int threads = options.threads > 0 ? options.threads : defaultThreadCount();
  setItkThreads(threads);

  LungAnalysis result;
  result.bands = options.bands;
  const WorkingGrid grid = chooseWorkingGrid(g);
  HuImage::Pointer full = wrapVolume(volume);
  HuImage::Pointer work = workingImage(full, grid);
  cancel.throwIfCancelled();
  SegmentationParams params;
  params.cavity = options.cavity;
  Segmentation seg = segmentLungs(work, g, grid, params, cancel);
  result.warnings = seg.warnings;
  MaskImage::Pointer opacity = classifyOpacity(work, seg.sides, options.bands, cancel);

  // Back to full resolution: each voxel takes its working voxel's side; on the lung's edge (a working voxel with a
  // neighbour of another side) the voxel's own HU decides, so the boundary is as sharp as the original. That holds
  // on both sides of the edge: an aerated voxel in a working cell just outside the lung (the cell's mean was pulled
  // above the threshold by the chest wall it also holds) is lung too, unless the cell is airway or gas.
  const auto wsize = work->GetLargestPossibleRegion().GetSize();
  const int wx = static_cast<int>(wsize[0]), wy = static_cast<int>(wsize[1]), wz = static_cast<int>(wsize[2]);
  const std::size_t wns = static_cast<std::size_t>(wx) * wy;
  const bool shrunk = grid.fxy > 1 || grid.fz > 1;
  const auto* ws = seg.sides->GetBufferPointer();
  const auto* wo = opacity->GetBufferPointer();
  const auto* wa = seg.airway->GetBufferPointer();
  // Per working cell, once (a quarter or less of the voxels on a grid shrunk in-plane): for a lung cell, whether it is
  // on the lung's edge (a 6-neighbour of another side); for an outside cell, the side of the lung cells next to it (0
  // if none, if it is airway, or if both lungs are next to it: which one would then depend on the order of the look-up,
  // not on the anatomy).
  constexpr std::uint8_t kEdge = 4;
  std::vector<std::uint8_t> cell(shrunk ? wns * static_cast<std::size_t>(wz) : 0, 0);  // none: no edge rules
  if (shrunk) {
    parallelFor(0, wz, threads, [&](int z) {
      for (int y = 0; y < wy; ++y)
        for (int x = 0; x < wx; ++x) {
          const std::size_t i = static_cast<std::size_t>(z) * wns + static_cast<std::size_t>(y) * wx + x;
          const auto v = ws[i];
          std::uint8_t seen = 0;
          bool edge = false;
          auto look = [&](std::size_t j) { seen |= ws[j], edge = edge || ws[j] != v; };
          if (x > 0) look(i - 1);
          if (x + 1 < wx) look(i + 1);
          if (y > 0) look(i - wx);
          if (y + 1 < wy) look(i + wx);
          if (z > 0) look(i - wns);
          if (z + 1 < wz) look(i + wns);
          if (v) cell[i] = edge ? kEdge : 0;
          else cell[i] = !wa[i] && (seen == 1 || seen == 2) ? seen : 0;
        }
    }, cancel);
  }
  std::vector<int> cell_x(static_cast<std::size_t>(g.cols));
  for (int x = 0; x < g.cols; ++x) cell_x[static_cast<std::size_t>(x)] = std::min(x / grid.fxy, wx - 1);
  LungMask& mask = result.mask;
  mask.geometry = g;
  mask.labels.assign(g.voxelCount(), 0);
  mask.opacity.assign(g.voxelCount(), 0);
  std::vector<std::array<std::int64_t, 2>> side_count(static_cast<std::size_t>(g.slices));
  parallelFor(0, g.slices, threads, [&](int z) {
    const int lz = std::min(z / grid.fz, wz - 1);
    const std::int16_t* hu = volume.slice(z);
    std::uint8_t* out = mask.labels.data() + static_cast<std::size_t>(z) * g.voxelsPerSlice();
    std::array<std::int64_t, 2> count{};
    for (int y = 0; y < g.rows; ++y) {
      const int ly = std::min(y / grid.fxy, wy - 1);
      const std::size_t row = static_cast<std::size_t>(lz) * wns + static_cast<std::size_t>(ly) * wx;
      for (int x = 0; x < g.cols; ++x) {
        const std::size_t li = row + static_cast<std::size_t>(cell_x[static_cast<std::size_t>(x)]);
        std::uint8_t s = ws[li];
        const std::uint8_t flags = shrunk ? cell[li] : 0;
        const std::size_t fi = static_cast<std::size_t>(y) * g.cols + x;
        if (s && flags == kEdge && wo[li] == kOpacityNone && hu[fi] >= params.air_hu) s = 0;
        else if (!s && flags && hu[fi] < params.air_hu) s = flags;
        out[fi] = s;
        if (s) ++count[s - 1];
      }
    }
    side_count[static_cast<std::size_t>(z)] = count;
  }, cancel);
  seg.airway = nullptr;
  cell = {};

  // Zones: thirds of each lung's cranio-caudal extent (patient superior = +z in LPS).
  const bool up_is_higher_index = g.normal[2] >= 0.0;
  std::array<double, 2> top{-1e30, -1e30}, bottom{1e30, 1e30};
  for (int z = 0; z < g.slices; ++z)
    for (int s = 0; s < 2; ++s)
      if (side_count[static_cast<std::size_t>(z)][static_cast<std::size_t>(s)] > 0) {
        const double h = (up_is_higher_index ? 1.0 : -1.0) * volume.slicePosition_mm(z);
        top[s] = std::max(top[s], h), bottom[s] = std::min(bottom[s], h);
      }
  auto zone_of = [&](int s, int z) -> std::uint8_t {
    const double h = (up_is_higher_index ? 1.0 : -1.0) * volume.slicePosition_mm(z);
    const double span = top[s] - bottom[s];
    const double f = span > 0 ? (top[s] - h) / span : 0.5;  // 0 at the apex, 1 at the base
    const int third = f < 1.0 / 3.0 ? 0 : (f < 2.0 / 3.0 ? 1 : 2);
    return static_cast<std::uint8_t>((s == 0 ? 1 : 4) + third);
  };

  // Relabel with zones, judge the opacity voxel by voxel (voxel_opacity.h) and measure per slice, in parallel;
  // then sum.
  std::vector<SliceAccumulator> acc(static_cast<std::size_t>(g.slices));
  parallelFor(0, g.slices, threads, [&](int z) {
    const int lz = std::min(z / grid.fz, wz - 1);
    const std::int16_t* hu = volume.slice(z);
    std::uint8_t* out = mask.labels.data() + static_cast<std::size_t>(z) * g.voxelsPerSlice();
    std::uint8_t* opa = mask.opacity.data() + static_cast<std::size_t>(z) * g.voxelsPerSlice();
    SliceOpacityJudge(g, options.bands)
        .judge(hu, out, WorkingPlane{wo + static_cast<std::size_t>(lz) * wns, wx, wy, grid.fxy}, opa);
    const std::array<std::uint8_t, 3> zone{0, zone_of(0, z), zone_of(1, z)};
    SliceAccumulator& a = acc[static_cast<std::size_t>(z)];
    for (std::size_t fi = 0; fi < g.voxelsPerSlice(); ++fi) {
      if (!out[fi]) continue;
      const std::uint8_t zn = zone[out[fi]];
      out[fi] = zn;
      const std::size_t k = zn - 1u;
      ++a.voxels[k];
      a.hu_sum[k] += hu[fi];
      if (opa[fi] == kOpacityGgo) ++a.ggo[k];
      else if (opa[fi] == kOpacityConsolidation) ++a.cons[k];
    }
  }, cancel);
  seg = {};
  opacity = nullptr;

  const double voxel_ml = g.spacing_mm[0] * g.spacing_mm[1] * g.spacing_mm[2] / 1000.0;
  SliceAccumulator total;
  mask.lung_voxels_per_slice.assign(static_cast<std::size_t>(g.slices), 0);
  result.slices.resize(static_cast<std::size_t>(g.slices));
  for (int z = 0; z < g.slices; ++z) {
    const auto& a = acc[static_cast<std::size_t>(z)];
    std::int64_t v = 0, gg = 0, cc = 0;
    double hs = 0;
    for (int k = 0; k < kZoneCount; ++k) {
      total.voxels[k] += a.voxels[k], total.ggo[k] += a.ggo[k], total.cons[k] += a.cons[k];
      total.hu_sum[k] += a.hu_sum[k];
      v += a.voxels[k], gg += a.ggo[k], cc += a.cons[k], hs += a.hu_sum[k];
    }
    mask.lung_voxels_per_slice[static_cast<std::size_t>(z)] = v;
    finish(result.slices[static_cast<std::size_t>(z)], v, hs, gg, cc, voxel_ml);
  }
  auto sum_of = [&](int k0, int k1, RegionStats& r) {
    std::int64_t v = 0, gg = 0, cc = 0;
    double hs = 0;
    for (int k = k0; k < k1; ++k) v += total.voxels[k], gg += total.ggo[k], cc += total.cons[k], hs += total.hu_sum[k];
    finish(r, v, hs, gg, cc, voxel_ml);
  };
  sum_of(0, 3, result.right);
  sum_of(3, 6, result.left);
  sum_of(0, 6, result.both);
  result.severity_score = 0;
  for (int k = 0; k < kZoneCount; ++k) {
    sum_of(k, k + 1, result.zones[static_cast<std::size_t>(k)]);
    result.zone_scores[static_cast<std::size_t>(k)] =
        zoneScore(result.zones[static_cast<std::size_t>(k)].involved_percent());
    result.severity_score += result.zone_scores[static_cast<std::size_t>(k)];
  }
  if (result.both.voxels == 0) throw InputError(kContext, "no lungs found: the lung mask is empty");
  if (result.right.voxels == 0 || result.left.voxels == 0) {
    // Already warned by the segmentation.
  }
  // Coverage: a lung cut by the first or last slice means the series does not cover the whole chest.
  if (mask.lung_voxels_per_slice.front() > 0 || mask.lung_voxels_per_slice.back() > 0)
    result.warnings.push_back("partial chest coverage: the lungs continue beyond the first or last slice");
  return result;
}

}  // namespace lunglens::core::lung
