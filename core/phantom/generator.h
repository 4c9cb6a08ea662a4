#pragma once
// Generating a phantom: a synthetic chest CT volume in HU with its label volume and per-slice ground truth.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/phantom/params.h"
#include "core/phantom/slice_renderer.h"
#include "core/volume/volume.h"

namespace lunglens::core::phantom {

// Ground truth of one slice, derived from the label volume only.
struct SliceTruth {
  int index = 0;                  // slice index (0 = most inferior), as in the DICOM series and labels.nii.gz
  double z_mm = 0;                // slice centre along the patient axis
  Diagnosis label = Diagnosis::Normal;  // covid if any COVID finding voxel, else other_pneumonia if any, else normal
  std::vector<Finding> findings;  // finding types with at least one voxel in the slice
  std::int64_t lung_voxels = 0;   // lung voxels including the involved ones
  double involved_fraction = 0;   // finding voxels / lung voxels
  std::array<std::int64_t, kLabelCount> voxels_by_label{};
  std::optional<Finding> dominant;  // largest manifestation class (crazy paving counts as GGO); none if no finding
  double fraction(Finding f) const {
    return lung_voxels ? static_cast<double>(voxels_by_label[static_cast<std::size_t>(f)]) / lung_voxels : 0.0;
  }
};

struct SubjectSummary {
  double body_width_mm = 0, body_depth_mm = 0, lung_height_mm = 0, breath_level = 0, heart_scale = 0, fat_mm = 0;
  double noise_sigma_hu = 0;
};

struct Phantom {
  PhantomParams params;
  SeriesLayout layout;
  std::shared_ptr<volume::Volume> volume;  // HU, all slices ready
  std::vector<std::uint8_t> labels;        // same layout as the volume (x fastest, then y, then slice)
  std::vector<Finding> findings;           // finding types placed (those with voxels are in the slices' truth)
  std::vector<SliceTruth> slices;
  SubjectSummary subject;
  double noise_sigma_hu = 0;
};

// The truth of slice k (at height z) from its n labels.
SliceTruth sliceTruthFromLabels(int k, double z, const std::uint8_t* labels, std::size_t n);

// Deterministic for params (whatever params.threads). Throws InputError for bad params, Cancelled if cancelled.
Phantom generatePhantom(const PhantomParams& params, const CancelToken& cancel = CancelToken());

// FNV-1a 64-bit digest (hex) of the HU voxels: for determinism checks.
std::string pixelDigest(const volume::Volume& volume);

}  // namespace lunglens::core::phantom
