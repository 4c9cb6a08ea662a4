// Left and right lung. Two components of comparable size are the two lungs; otherwise they touch (anterior or
// posterior junction) and are split where the inside distance map, thresholded at growing depths, falls into two
// comparable cores, every lung voxel going to the nearer core. Which one is the patient's left comes from the
// geometry (LPS), never from image columns, so a mirrored or rotated acquisition keeps its sides.
#include <itkBinaryThresholdImageFilter.h>

#include <algorithm>
#include <cmath>

#include "core/lung/morphology.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {
namespace {

// Patient x (LPS: + = patient left) of a working-grid index position.
double patientX(const volume::Geometry& g, const WorkingGrid& grid, double x, double y, double z) {
  const double fx = x * grid.fxy + 0.5 * (grid.fxy - 1), fy = y * grid.fxy + 0.5 * (grid.fxy - 1);
  const double fz = z * grid.fz + 0.5 * (grid.fz - 1);
  return g.voxelToPatient(fx, fy, fz)[0];
}

// Two cores of comparable size from the lungs' inside distance at growing depths; none when it never splits.
Components splitCore(const MaskImage::Pointer& mask, const CancelToken& cancel) {
  FloatImage::Pointer sd = signedDistance(mask);
  for (double depth = 1.5; depth <= 24.0; depth += 1.5) {
    auto t = itk::BinaryThresholdImageFilter<FloatImage, MaskImage>::New();
    t->SetInput(sd);
    t->SetLowerThreshold(-1e30f);
    t->SetUpperThreshold(static_cast<float>(-depth));
    t->SetInsideValue(1);
    t->SetOutsideValue(0);
    t->Update();
    Components core = connectedComponents(t->GetOutput(), 1);
    if (core.sizes.size() >= 2 && core.sizes[1] >= core.sizes[0] / 6) return core;
    cancel.throwIfCancelled();
  }
  return {};
}

// Parts (labels > first_small) of fewer than kRemnantMl that touch the airway mask: what is left of the airway's
// partial-volume ring where the airway was too thin to take it (the top slice, cut through the larynx), or of a gas
// pocket's rim (the mask holds those too); not lung.
constexpr double kRemnantMl = 2.0;
std::vector<std::uint8_t> airwayRemnants(const Components& parts, std::size_t first_small, std::size_t kp,
                                         const MaskImage::Pointer& airway, double voxel_ml) {
  std::vector<std::uint8_t> remnant(kp + 1, 0);
  const Dims d(airway);
  const auto* pl = parts.labels->GetBufferPointer();
  const auto* a = airway->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) {
    const auto p = pl[i];
    if (p <= first_small || p > kp || remnant[p] ||
        static_cast<double>(parts.sizes[p - 1]) * voxel_ml >= kRemnantMl)
      continue;
    remnant[p] = !d.forEachFaceNeighbour(i, [&](std::size_t j) { return a[j] == 0; });
  }
  return remnant;
}

}  // namespace

MaskImage::Pointer splitSides(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              const MaskImage::Pointer& airway, const volume::Geometry& geometry,
                              const WorkingGrid& grid, std::vector<std::string>& warnings, const CancelToken& cancel) {
  const Dims d(work);
  Components parts = connectedComponents(lungs, static_cast<std::int64_t>(0.5 / voxelMl(work)));
  bool two = parts.sizes.size() >= 2 && parts.sizes[1] >= parts.sizes[0] / 6;
  // Small pieces beside the two lungs (or the one, or the two joined) that only lined the airway are no lung: taken
  // out before the lungs are split, so that no core takes them.
  // (Their labels keep their sizes but no voxel: no side is ever read for them.) `kept` is the labelled lung air, so
  // specks under the size limit are out of the split as well.
  auto kept = newMask(work);
  {
    const std::vector<std::uint8_t> remnant =
        airwayRemnants(parts, two ? 2 : 1, parts.sizes.size(), airway, voxelMl(work));
    auto* k = kept->GetBufferPointer();
    auto* pl = parts.labels->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i) {
      if (pl[i] && remnant[pl[i]]) pl[i] = 0;
      k[i] = pl[i] ? 1 : 0;
    }
  }
  if (!two && !parts.sizes.empty()) {
    Components core = splitCore(kept, cancel);
    if (!core.sizes.empty()) {
      // Grow the two cores back: every lung voxel goes to the nearer core.
      FloatImage::Pointer d1 = signedDistance(labelRange(core.labels, 1, 1));
      FloatImage::Pointer d2 = signedDistance(labelRange(core.labels, 2, 2));
      auto* pl = parts.labels->GetBufferPointer();
      const auto* a = d1->GetBufferPointer();
      const auto* b = d2->GetBufferPointer();
      // Specks under the size limit stay out, as when the lungs lie apart.
      for (std::size_t i = 0; i < d.count(); ++i) pl[i] = pl[i] ? (a[i] <= b[i] ? 1u : 2u) : 0u;
      parts.sizes = {0, 0};
      for (std::size_t i = 0; i < d.count(); ++i)
        if (pl[i]) ++parts.sizes[pl[i] - 1];
      two = true;
    }
  }
  const std::size_t kp = std::min<std::size_t>(parts.sizes.size(), 64);
  const auto pst = componentStats(parts.labels, work, kp);
  // Side of each part: the two lungs by patient x (+x = patient left); smaller pieces join the nearer lung.
  std::vector<std::uint8_t> side(kp + 1, 0);
  if (two) {
    const double x1 = patientX(geometry, grid, pst[0].cx(), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    const double x2 = patientX(geometry, grid, pst[1].cx(), pst[1].sy / pst[1].n, pst[1].sz / pst[1].n);
    side[1] = x1 > x2 ? kSideLeft : kSideRight;
    side[2] = x1 > x2 ? kSideRight : kSideLeft;
    for (std::size_t i = 2; i < kp; ++i)
      side[i + 1] = std::abs(pst[i].cx() - pst[0].cx()) <= std::abs(pst[i].cx() - pst[1].cx()) ? side[1] : side[2];
  } else {
    // One lung only (after a pneumonectomy, or a collapsed lung): its side from where it lies in the body.
    const double xl = patientX(geometry, grid, pst[0].cx(), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    const double xc = patientX(geometry, grid, 0.5 * (d.nx - 1), pst[0].sy / pst[0].n, pst[0].sz / pst[0].n);
    side[1] = xl > xc ? kSideLeft : kSideRight;
    for (std::size_t i = 1; i < kp; ++i) side[i + 1] = side[1];
    warnings.push_back(std::string("only one lung found (the ") + (side[1] == kSideLeft ? "left" : "right") +
                       "); the other is missing, collapsed or outside the series");
  }
  auto sides = newMask(work);
  auto* o = sides->GetBufferPointer();
  const auto* pl = parts.labels->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) o[i] = (pl[i] && pl[i] <= kp) ? side[pl[i]] : 0;
  return sides;
}

}  // namespace lunglens::core::lung
