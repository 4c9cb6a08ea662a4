#pragma once
// Writing exported images: PNG or JPEG by the file's extension, encoded in memory, then written atomically (a
// temporary file beside the target, then rename; no silent overwrite; a failed write leaves no partial file).
// The file carries no metadata beyond "Software: LungLens" and the disclaimer: no patient data in text chunks.
#include <QImage>
#include <filesystem>
#include <string>

#include "core/export/dicom_derived.h"

namespace lunglens::ui::paint {

// "png" or "jpg" for a path ending in .png, .jpg or .jpeg (any case); throws InputError otherwise.
std::string imageFormatFor(const std::filesystem::path& file);

// The encoded bytes (JPEG at `jpegQuality` 0..100).
std::string encodeImage(const QImage& image, const std::string& format, int jpegQuality = 92);

// Encodes and writes. Throws InputError with the path and the reason (exists, permission, disk full).
void writeImageFile(const QImage& image, const std::filesystem::path& file, bool overwrite, int jpegQuality = 92);

// The image as 8-bit RGB, for DICOM Secondary Capture.
core::exporting::RgbImage toRgbImage(const QImage& image);

}  // namespace lunglens::ui::paint
