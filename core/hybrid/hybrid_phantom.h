#pragma once
// Hybrid phantoms (issue 13): the stylised generator's findings inserted into the lungs of a real chest CT series,
// so that the demo models learn real anatomy. The result is an ordinary core::phantom::Phantom (DICOM series with
// new, synthetic identifiers, truth.json and labels.nii.gz through writePhantomStudy), on the background's own
// grid, slice thickness, kernel and noise. A normal subject is the background untouched (after its transform).
#include <cstdint>
#include <string>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/hybrid/background_transform.h"
#include "core/phantom/generator.h"
#include "core/volume/volume.h"

namespace lunglens::core::hybrid {

struct HybridParams {
  phantom::PhantomParams phantom;  // diagnosis, manifestations, severity, seed, threads (size/slices/kernel unused)
  BackgroundTransform transform;
};

// Throws InputError: no lungs found (core/lung), a series not in the standard axial orientation, uneven slice
// spacing, or a volume not completely loaded. Cancelled when cancelled.
phantom::Phantom makeHybridPhantom(const dicom::SeriesInfo& series, const volume::Volume& background,
                                   const HybridParams& params, const CancelToken& cancel = CancelToken());

}  // namespace lunglens::core::hybrid
