#pragma once
// Drawing the finding placer's lesions (core/phantom/findings.h) into a real CT's lungs. The background keeps its
// own noise and kernel texture: only its smooth component is pulled towards each lesion's density (a Gaussian of
// 1.2 mm separates the two), and only upwards (ground glass raises aerated lung towards -250 HU but never lightens
// a vessel; consolidation pulls towards its density). Lesions are averaged over the series' slice thickness, as
// the scanner averaged the anatomy; labels come from the slice's centre plane, with the generator's priorities.
#include <cstdint>
#include <vector>

#include "core/common/cancel.h"
#include "core/hybrid/mask_lung_geometry.h"
#include "core/phantom/findings.h"
#include "core/volume/volume.h"

namespace lunglens::core::hybrid {

struct Insertion {
  std::shared_ptr<volume::Volume> volume;  // the background with the findings, every slice ready
  std::vector<std::uint8_t> labels;        // 0 outside the lungs, 1 lung, else the Finding id (voxel layout)
};

Insertion insertFindings(const volume::Volume& background, const MaskLungGeometry& lungs,
                         const phantom::Findings& findings, double thickness_mm, int threads,
                         const CancelToken& cancel = CancelToken());

}  // namespace lunglens::core::hybrid
