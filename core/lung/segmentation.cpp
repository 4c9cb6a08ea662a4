// Lung segmentation on the working grid, step by step (segmentation_steps.h; docs/LUNG.md, Method 2-5).
#include "core/lung/segmentation.h"

#include <string>

#include "core/common/error.h"
#include "core/lung/segmentation_steps.h"

namespace lunglens::core::lung {

Segmentation segmentLungs(const HuImage::Pointer& work, const volume::Geometry& geometry, const WorkingGrid& grid,
                          const SegmentationParams& params, const CancelToken& cancel) {
  const Dims d(work);
  if (geometry.slices < 3 || d.nz < 2)
    throw InputError("lung analysis",
                     "no lungs found: " + std::to_string(geometry.slices) + " slice(s) is not a chest CT volume");
  Segmentation seg;
  LungAir air = findLungAir(work, params, cancel);
  cancel.throwIfCancelled();

  // Trachea and main bronchi, then gas pockets joined to a lung: out of the lungs (what the lung encloses on its
  // slice comes back with the hole filling).
  seg.airway = findAirway(work, air.lungs, seg.warnings);
  {
    auto* o = air.lungs->GetBufferPointer();
    const auto* a = seg.airway->GetBufferPointer();
    for (std::size_t i = 0; i < d.count(); ++i)
      if (a[i]) o[i] = 0;
  }
  excludeGasPockets(work, params, air.lungs, seg.airway);
  cancel.throwIfCancelled();

  MaskImage::Pointer raw = splitSides(work, air.lungs, seg.airway, geometry, grid, seg.warnings, cancel);
  air.lungs = nullptr;
  cancel.throwIfCancelled();

  seg.sides = closeLungs(work, raw, seg.airway, air.outside, geometry, params, cancel);
  return seg;
}

}  // namespace lunglens::core::lung
