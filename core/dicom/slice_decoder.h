#pragma once
// Decoding one slice's pixels (any transfer syntax GDCM reads) into Hounsfield units.
#include <cstdint>
#include <string>

namespace lunglens::core::dicom {

// Decodes frame `frame` of the file at `path` into `hu` (rows * cols values, row-major), applying
// RescaleSlope/Intercept and clamping to int16. Throws InputError naming the file if it cannot be decoded or its
// size is not rows x cols.
void decodeSliceHu(const std::string& path, int frame, int rows, int cols, std::int16_t* hu);

}  // namespace lunglens::core::dicom
