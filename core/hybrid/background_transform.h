#pragma once
// How one real background series is varied so that it yields many training subjects (issue 13): mirrored, rotated
// and shifted in the plane, its slices thickened, its reconstruction kernel made softer or sharper, its HU
// calibration and noise changed. With one or two real subjects the models otherwise learn that subject's scanner
// (slice thickness, kernel, calibration) as part of "normal lung"; the held-out subject differs in all of them.
#include <cstdint>
#include <memory>
#include <string>

#include "core/volume/volume.h"

namespace lunglens::core::hybrid {

struct BackgroundTransform {
  bool flip_left_right = false;  // mirror the columns (the patient's left becomes right)
  double rotation_deg = 0;       // in-plane rotation about the image centre
  double shift_mm[2] = {0, 0};   // in-plane translation of the image content (columns, rows), whole pixels
  double fov_scale = 1.0;  // pixel spacing x this, same matrix about the same centre (< 1: a smaller field of view)
  int slab_slices = 1;     // consecutive slices averaged into one (a thicker reconstruction)
  double sharpen = 0;      // kernel: v + sharpen * (v - Gaussian(v, 1 pixel)); < 0 softer, > 0 sharper
  double hu_scale = 1.0;   // calibration: v * hu_scale + hu_offset (water stays near 0, air moves)
  double hu_offset = 0;
  double extra_noise_hu = 0;  // Gaussian noise added (standard deviation), seeded by the subject
  std::string canonical() const;
  // The slice thickness of the transformed series, given the background's own and its slice spacing.
  double thickness_mm(double background_thickness_mm, double spacing_mm) const;
};

// The background after its transform (a new volume, the same matrix and slices, its pixel spacing times fov_scale;
// every slice ready). Air (-1000 HU) comes in where the content moved away from the image's edge.
std::shared_ptr<volume::Volume> transformBackground(const volume::Volume& background, const BackgroundTransform& t,
                                                    std::uint64_t seed);

}  // namespace lunglens::core::hybrid
