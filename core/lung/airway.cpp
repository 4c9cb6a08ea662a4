// Trachea and main bronchi: the pure-air tube at the top centre of the lungs, grown down through the darkest
// voxels (Hu et al., IEEE TMI 2001: region growing from the trachea with a leak check that lowers the threshold).
#include <algorithm>
#include <cmath>

#include <itkBinaryThresholdImageFilter.h>

#include "core/lung/morphology.h"
#include "core/lung/segmentation.h"

namespace lunglens::core::lung {

MaskImage::Pointer findAirway(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                              std::vector<std::string>& warnings) {
  const auto size = work->GetLargestPossibleRegion().GetSize();
  const int nx = static_cast<int>(size[0]), ny = static_cast<int>(size[1]), nz = static_cast<int>(size[2]);
  const std::size_t ns = static_cast<std::size_t>(nx) * ny, n = ns * nz;
  const auto sp = work->GetSpacing();
  const double ml = sp[0] * sp[1] * sp[2] / 1000.0;
  const auto* lm = lungs->GetBufferPointer();
  const auto* hu = work->GetBufferPointer();

  // The lungs' top slice and left-right centre.
  int ztop = -1, x0 = nx, x1 = -1;
  for (std::size_t i = 0; i < n; ++i)
    if (lm[i]) {
      const int x = static_cast<int>(i % nx);
      x0 = std::min(x0, x), x1 = std::max(x1, x);
      ztop = std::max(ztop, static_cast<int>(i / ns));
    }
  auto none = newMask(work);
  if (ztop < 0) return none;
  const double xc = 0.5 * (x0 + x1), half_width = 0.5 * (x1 - x0 + 1);
  const int zlow = std::max(0, ztop - static_cast<int>(std::ceil(20.0 / sp[2])));

  for (int threshold = -950; threshold >= -1000; threshold -= 25) {
    auto dark = newMask(work);
    auto* dm = dark->GetBufferPointer();
    for (std::size_t i = 0; i < n; ++i) dm[i] = (lm[i] && hu[i] < threshold) ? 1 : 0;
    Components c = connectedComponents(dark, static_cast<std::int64_t>(0.2 / ml));
    if (c.sizes.empty()) continue;
    // Seed: the dark component nearest the centre line within the top 2 cm of the lungs.
    std::uint32_t best = 0;
    double best_dx = 0.2 * half_width;
    const auto* l = c.labels->GetBufferPointer();
    for (int z = zlow; z <= ztop; ++z)
      for (std::size_t j = 0; j < ns; ++j) {
        const auto v = l[static_cast<std::size_t>(z) * ns + j];
        if (!v) continue;
        const double dx = std::abs(static_cast<double>(j % nx) - xc);
        if (dx < best_dx) best_dx = dx, best = v;
      }
    // None: the trachea is not in the series (it starts below the carina) or not joined to the lungs.
    if (!best) return none;
    const double volume_ml = static_cast<double>(c.sizes[best - 1]) * ml;
    if (volume_ml > 250.0) continue;  // leaked into the lung: try a darker threshold
    return labelRange(c.labels, best, best);
  }
  warnings.push_back("trachea not found or not separable from the lungs: airways may be included");
  return none;
}

}  // namespace lunglens::core::lung
