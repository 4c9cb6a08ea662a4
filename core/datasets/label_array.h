#pragma once
// A 2-D label array: NumPy .npy (version 1-3, C order, bool/int/uint/float of 1-8 bytes, little endian) or a CSV of
// numbers without header (one row per line). COVID-CT-MD ships its slice-level labels as such an array.
#include <filesystem>
#include <vector>

namespace lunglens::core::datasets {

// rows[r][c]. Throws InputError naming the file for anything else (3-D arrays, Fortran order, big endian...).
std::vector<std::vector<double>> readLabelArray(const std::filesystem::path& file);

}  // namespace lunglens::core::datasets
