#pragma once
// Decoding one slice's pixels (any transfer syntax GDCM reads) into Hounsfield units.
#include <cstdint>
#include <string>

#include "core/dicom/series.h"

namespace lunglens::core::dicom {

// Decodes frame `frame` of the file at `path` into `hu` (rows * cols values, row-major), applying
// RescaleSlope/Intercept and clamping to int16. Throws InputError naming the file if it cannot be decoded or its
// size is not rows x cols.
void decodeSliceHu(const std::string& path, int frame, int rows, int cols, std::int16_t* hu);

// The fast path for uncompressed 16-bit slices: reads rows * cols pixels at `raw.offset` and rescales them, as
// decodeSliceHu would. Throws InputError naming the file if it is shorter than that.
void readRawSliceHu(const std::string& path, const RawPixels& raw, int rows, int cols, std::int16_t* hu);

// The loader's choice: the fast path when the scan found raw pixels, GDCM otherwise.
void decodeSliceHu(const SliceRef& slice, int rows, int cols, std::int16_t* hu);

}  // namespace lunglens::core::dicom
