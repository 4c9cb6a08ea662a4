// The lungs' air: air (and aerated lung) vs tissue at the air threshold, 6-connected components sorted by size.
// What reaches the image's in-plane edge is the air around the body; gas (bowel, a trachea on its own), the
// table's flat foam core and specks are not lung; both lungs, often joined by the airways, dwarf any other air
// inside a chest.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/common/error.h"
#include "core/lung/morphology.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {

LungAir findLungAir(const HuImage::Pointer& work, const SegmentationParams& params, const CancelToken& cancel) {
  const Dims d(work);
  const double ml = voxelMl(work);
  // Air (and aerated lung) vs tissue; components of it, relabelled by size, specks dropped.
  const MaskImage::Pointer air = huRange(work, std::numeric_limits<std::int16_t>::min(), params.air_hu - 1);
  cancel.throwIfCancelled();
  Components comps = connectedComponents(air, static_cast<std::int64_t>(2.0 / ml));
  cancel.throwIfCancelled();
  const std::size_t k = std::min<std::size_t>(comps.sizes.size(), 64);
  const auto stats = componentStats(comps.labels, work, k);

  // Lung candidates: inside the body (not the outside air, which reaches the image edge), not gas (bowel, a
  // trachea on its own), not flat (the table's foam core), at least a few mL.
  std::vector<std::uint32_t> candidates;
  const auto sp = work->GetSpacing();
  for (std::size_t i = 0; i < k; ++i) {
    const auto& s = stats[i];
    if (s.n == 0 || s.border) continue;
    if (s.meanHu() < params.gas_mean_hu) continue;
    const double wx = (s.x1 - s.x0 + 1) * sp[0], wy = (s.y1 - s.y0 + 1) * sp[1];
    if (wy < 0.3 * wx || wx < 0.15 * wy) continue;
    if (static_cast<double>(s.n) * ml < 5.0) continue;
    candidates.push_back(static_cast<std::uint32_t>(i + 1));
  }
  if (candidates.empty()) throw InputError("lung analysis", "no lungs found: no air-filled region inside the body");
  // Both lungs (or the lungs joined by the airways) are far larger than any other air inside a chest.
  const std::int64_t largest = stats[candidates.front() - 1].n;
  LungAir out{newMask(work), newMask(work)};
  std::vector<std::uint8_t> keep(k + 1, 0);
  double total_ml = 0;
  for (auto c : candidates)
    if (stats[c - 1].n >= largest / 8) {
      keep[c] = 1;
      total_ml += static_cast<double>(stats[c - 1].n) * ml;
    }
  if (total_ml < params.min_lung_ml) {
    std::ostringstream m;
    m << "no lungs found: the largest air-filled region inside the body is " << std::lround(total_ml)
      << " mL (a chest CT shows at least " << params.min_lung_ml << " mL of lung)";
    throw InputError("lung analysis", m.str());
  }
  const auto* l = comps.labels->GetBufferPointer();
  auto* lungs = out.lungs->GetBufferPointer();
  // The air around the body (what reaches the image's edge): the costal step measures the chest wall from it.
  auto* outside = out.outside->GetBufferPointer();
  for (std::size_t i = 0; i < d.count(); ++i) {
    lungs[i] = (l[i] <= k) ? keep[l[i]] : 0;
    outside[i] = (l[i] && l[i] <= k && stats[l[i] - 1].border) ? 1 : 0;
  }
  return out;
}

}  // namespace lunglens::core::lung
