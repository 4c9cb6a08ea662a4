#pragma once
// Opacities inside the lungs on the working grid: ground glass and consolidation by HU band, with the vessels
// (thin bright tubes) and partial-volume rims that a plain band count would call opacity taken out.
#include <cstdint>

#include "core/common/cancel.h"
#include "core/lung/itk_bridge.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::core::lung {

inline constexpr std::uint8_t kOpacityNone = 0, kOpacityGgo = 1, kOpacityConsolidation = 2;

// Per working voxel: kOpacity* (0 outside the lungs). `lungs` is any nonzero = lung.
MaskImage::Pointer classifyOpacity(const HuImage::Pointer& work, const MaskImage::Pointer& lungs,
                                   const HuBands& bands, const CancelToken& cancel);

}  // namespace lunglens::core::lung
