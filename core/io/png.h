#pragma once
// PNG files through Qt's image codecs (QtGui only; no widgets).
#include <cstdint>
#include <filesystem>
#include <vector>

namespace lunglens::core::io {

// 8-bit grey, rows * cols bytes row-major. Throws InputError if it cannot be written.
void writeGreyPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& grey);
// 8-bit RGB, rows * cols * 3 bytes row-major.
void writeRgbPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& rgb);

}  // namespace lunglens::core::io
