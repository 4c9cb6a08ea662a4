#pragma once
// DCMTK's decoders as a second opinion before a slice is rejected: one real JPEG-LS file that DCMTK decodes was
// refused because GDCM's CharLS 2 is stricter about the code stream's header than DCMTK's CharLS (e.g. sampling
// factors of 0 in SOF55, which a single-component image never uses).
//
// DCMTK's JPEG-LS codec is loaded with dlopen(RTLD_DEEPBIND), never linked: it brings its own CharLS
// (libdcmtkcharls) that exports the same C symbols (JpegLsReadHeader, ...) as the system CharLS GDCM uses, with
// another ABI. Linked into one process, one of the two libraries would call the other's functions and crash; deep
// binding keeps each on its own.
#include <cstdint>
#include <string>

namespace lunglens::core::dicom {

// Decodes frame `frame` of `path` (rows x cols, one sample a pixel) into HU with DCMTK (JPEG-LS, RLE and
// uncompressed syntaxes). Returns false with `why` set if DCMTK cannot decode it either, or returns fewer pixels
// than the frame needs. Never throws.
bool decodeWithDcmtk(const std::string& path, int frame, int rows, int cols, std::int16_t* hu, std::string& why);

}  // namespace lunglens::core::dicom
