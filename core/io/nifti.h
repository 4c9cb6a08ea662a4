#pragma once
// NIfTI-1 single-file volumes (.nii, or .nii.gz compressed): enough to write label volumes aligned with a DICOM
// series and to read them back. World coordinates are NIfTI's RAS (x right->left negated from DICOM's LPS).
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>

namespace lunglens::core::io {

// Written: UInt8, Int16, Float32. Read: also the other scalar types public CT sets ship (Int8, UInt16, Int32,
// Float64), e.g. MosMedData's and the COVID-19 CT segmentation sets' volumes and masks.
enum class NiftiType : std::int16_t {
  UInt8 = 2, Int16 = 4, Int32 = 8, Float32 = 16, Float64 = 64, Int8 = 256, UInt16 = 512
};

struct NiftiVolume {
  std::array<int, 3> dims{0, 0, 0};              // i (fastest), j, k
  std::array<double, 3> spacing_mm{1, 1, 1};
  std::array<std::array<double, 4>, 3> affine{};  // voxel (i, j, k, 1) -> RAS mm (sform)
  NiftiType type = NiftiType::UInt8;
  std::string description;  // up to 79 characters
  std::string data;         // dims product * bytes per voxel, little endian
  // Stored value v means scl_slope * v + scl_inter (slope 0: unscaled, as NIfTI-1 says). Read only; written as 1/0.
  double scl_slope = 1.0, scl_inter = 0.0;

  std::size_t voxelCount() const { return static_cast<std::size_t>(dims[0]) * dims[1] * dims[2]; }
};

int bytesPerVoxel(NiftiType type);

// Builds the RAS affine from a DICOM-style geometry: LPS origin of voxel (0,0,0), row/column/normal directions and
// spacings.
std::array<std::array<double, 4>, 3> affineFromLps(const std::array<double, 3>& origin_lps,
                                                   const std::array<double, 3>& row_dir,
                                                   const std::array<double, 3>& col_dir,
                                                   const std::array<double, 3>& normal,
                                                   const std::array<double, 3>& spacing_mm);

// Writes .nii or .nii.gz (by extension) atomically. Throws InputError if it cannot be written.
void writeNifti(const std::filesystem::path& path, const NiftiVolume& volume, int threads = 0);
// Reads a .nii or .nii.gz file. Throws InputError naming the file for anything it cannot read.
NiftiVolume readNifti(const std::filesystem::path& path);

}  // namespace lunglens::core::io
