#pragma once
// Hybrid phantoms (issue 13): the stylised generator's findings inserted into the lungs of a real chest CT series,
// so that the demo models learn real anatomy. The result is an ordinary core::phantom::Phantom (DICOM series with
// new, synthetic identifiers, truth.json and labels.nii.gz through writePhantomStudy), on the background's own
// grid, slice thickness, kernel and noise. A normal subject is the background untouched (after its transform).
#include <cstdint>
#include <string>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/phantom/generator.h"
#include "core/volume/volume.h"

namespace lunglens::core::hybrid {

// How one background is varied so that it yields many subjects.
struct BackgroundTransform {
  bool flip_left_right = false;  // mirror the columns (the patient's left becomes right)
  double shift_mm[2] = {0, 0};   // in-plane translation of the image content (columns, rows)
  double extra_noise_hu = 0;     // Gaussian noise added (standard deviation), seeded by the subject
  std::string canonical() const;
};

struct HybridParams {
  phantom::PhantomParams phantom;  // diagnosis, manifestations, severity, seed, threads (size/slices/kernel unused)
  BackgroundTransform transform;
};

// Throws InputError: no lungs found (core/lung), a series not in the standard axial orientation, uneven slice
// spacing, or a volume not completely loaded. Cancelled when cancelled.
phantom::Phantom makeHybridPhantom(const dicom::SeriesInfo& series, const volume::Volume& background,
                                   const HybridParams& params, const CancelToken& cancel = CancelToken());

// The background after its transform (a new volume; every slice ready).
std::shared_ptr<volume::Volume> transformBackground(const volume::Volume& background, const BackgroundTransform& t,
                                                   std::uint64_t seed);

}  // namespace lunglens::core::hybrid
