#pragma once
// A reading limit for every DICOM file, checked before GDCM reads it. GDCM allocates each element's value at the
// length its header declares before reading it, so one damaged length field (a flipped byte in a 32-bit length)
// made `series` allocate gigabytes and spend seconds before failing; and it reads nested sequences recursively,
// so a file of sequences nested thousands deep can exhaust the stack. This walk reads only the element headers
// (tag, VR, length), never a value, and checks each declared length against the bytes the file (or the enclosing
// item) really holds, and the nesting depth against a small limit.
#include <filesystem>
#include <string>

namespace lunglens::core::dicom {

enum class LengthScope {
  UpToPixelData,  // the header scan: stop at the top-level Pixel Data (a truncated one is reported by the scan)
  WholeFile,      // decoding: Pixel Data too, and each of its compressed fragments
};

// Nested sequences deeper than this are refused (real files nest a handful of levels).
constexpr int kMaxSequenceDepth = 32;

// Empty when every declared length fits; otherwise why not, e.g. "damaged DICOM file: element (0010,0010)
// declares 2147483646 bytes but only 1200 remain". Structures this walk does not understand are left to GDCM
// (which fails on them without large allocations): only a length that cannot fit is reported. Deflated data sets
// are checked up to the compressed part. Never throws.
std::string checkDeclaredLengths(const std::filesystem::path& file, LengthScope scope);

}  // namespace lunglens::core::dicom
