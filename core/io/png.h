#pragma once
// PNG files through Qt's image codecs (QtGui only; no widgets).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace lunglens::core::io {

// 8-bit grey, rows * cols bytes row-major. Written atomically (temporary file, then rename; replaces an existing
// file). Throws InputError if it cannot be written, leaving no partial file.
void writeGreyPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& grey);
// 8-bit RGB, rows * cols * 3 bytes row-major.
void writeRgbPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& rgb);

}  // namespace lunglens::core::io
