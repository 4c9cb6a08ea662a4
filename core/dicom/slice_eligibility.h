#pragma once
// Which files can be slices of an image series, and a one-line reason for those that cannot.
#include <string>

#include "core/dicom/file_header.h"

namespace lunglens::core::dicom {

// Empty when `header` is a single-sample (MONOCHROME1/2) cross-sectional image with position and orientation;
// otherwise why not, e.g. "RGB image, not a CT slice" or "RT Plan: no image".
std::string whyNotASlice(const FileHeader& header);

}  // namespace lunglens::core::dicom
