#pragma once
// Enhanced multi-frame CT made from the real B40f series: its slices rewritten with DCMTK as the frames of one
// Enhanced CT Image Storage file (frame positions in the Per-frame Functional Groups, geometry and rescale in the
// Shared ones). Used by the multi-frame loading, numbering and CLI tests.
#include <dcmtk/dcmdata/dcxfer.h>

#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::test {

struct EnhancedCtOptions {
  E_TransferSyntax syntax = EXS_LittleEndianExplicit;
  int frameWithoutPosition = -1;  // a frame whose Plane Position Sequence is left out
  std::string sopInstanceUid;     // empty: a new one
};

// Writes the slices of `files` (in the order given) as the frames of one Enhanced CT file (InstanceNumber 1). Odd
// frames keep their stored values 1000 higher with their own rescale intercept 1000 lower (a per-frame Pixel Value
// Transformation); even frames use the shared one. Fails the calling test (gtest) on a write error.
void writeEnhancedCt(const std::vector<std::filesystem::path>& files, const std::filesystem::path& out,
                     const EnhancedCtOptions& options = {});

// The B40f slice files highest first, so a reader has to sort the frames by their functional-group positions:
// frame 1 (file order) is the highest slice, stack index 29.
std::vector<std::filesystem::path> framesHighestFirst();

}  // namespace lunglens::test
