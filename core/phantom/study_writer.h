#pragma once
// A phantom on disk: the DICOM series, truth.json (parameters, study diagnosis, per-slice truth) and labels.nii.gz
// (the label volume, voxel for voxel with the series).
#include <filesystem>
#include <string>

#include "core/phantom/generator.h"

namespace lunglens::core::phantom {

inline constexpr const char* kSeriesFolder = "dicom";
inline constexpr const char* kTruthFile = "truth.json";
inline constexpr const char* kLabelsFile = "labels.nii.gz";

struct StudyPaths {
  std::filesystem::path root, series_dir, truth_json, labels_nifti;
};

// The ground truth as JSON text (see docs/PHANTOMS.md for the fields).
std::string truthJson(const Phantom& phantom);

// Writes <dir>/dicom/slice_NNNN.dcm, <dir>/truth.json and <dir>/labels.nii.gz. Throws InputError on write failure.
StudyPaths writePhantomStudy(const Phantom& phantom, const std::filesystem::path& dir, int threads = 0);

}  // namespace lunglens::core::phantom
