#include "core/lung/opacity.h"

namespace lunglens::core::lung {

MaskImage::Pointer classifyOpacity(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                                   const HuBands& bands, const CancelToken& cancel) {
  auto out = newMask(work);
  const auto n = work->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto* h = work->GetBufferPointer();
  const auto* l = lungs->GetBufferPointer();
  auto* o = out->GetBufferPointer();
  for (std::size_t i = 0; i < n; ++i) {
    if (!l[i]) continue;
    const double v = h[i];
    if (v >= bands.consolidation_min_hu && v <= bands.consolidation_max_hu) o[i] = kOpacityConsolidation;
    else if (v >= bands.ggo_min_hu && v < bands.ggo_max_hu) o[i] = kOpacityGgo;
  }
  cancel.throwIfCancelled();
  return out;
}

}  // namespace lunglens::core::lung
