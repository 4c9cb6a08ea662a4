#pragma once
// Phantom sets that mix stylised and hybrid subjects (`phantom-set --backgrounds`): each real background series
// yields many subjects through its transform (flip, rotation, shift, field of view, slice thickness, kernel,
// calibration, noise) and the findings
// drawn from each subject's seed.
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/phantom/generator.h"
#include "core/volume/volume.h"

namespace lunglens::core::hybrid {

struct Background {
  dicom::SeriesInfo series;
  std::shared_ptr<const volume::Volume> volume;
  // The smallest field-of-view scale that keeps the lungs, a chest wall and the largest shift inside the image
  // (a tightly framed chest cannot be zoomed further: its lungs would be cut by the image edge); 0.75 at most.
  double min_fov_scale = 0.75;
};

// min_fov_scale for a background: from its lung mask's extent around the image centre (core/lung).
double smallestFieldOfViewScale(const volume::Volume& volume);

// Every CT series of each folder, loaded. Throws InputError naming a folder with no series.
std::vector<Background> loadBackgrounds(const std::vector<std::filesystem::path>& dirs);

// For PhantomSetOptions::make_subject: about `share` (0..1) of the subjects, chosen by their seeds, are hybrid;
// hybrid subject i uses background (i / 3) % n (so every background meets every diagnosis), mirrored for half of
// them, rotated by up to 10 degrees, shifted by up to 15 mm, its field of view min_fov_scale-1.15x, two slices averaged
// for half of them, its kernel softer or sharper, its calibration moved (x 0.97-1.03, +-20 HU) and 0-15 HU of
// noise added (background_transform.h). The others are stylised phantoms.
std::function<phantom::Phantom(int, const phantom::PhantomParams&)> hybridSubjectMaker(
    std::vector<Background> backgrounds, double share, CancelToken cancel = CancelToken());

// Whether subject `params` of a set is hybrid under `share` (the draw hybridSubjectMaker uses).
bool isHybridSubject(const phantom::PhantomParams& params, double share);

}  // namespace lunglens::core::hybrid
