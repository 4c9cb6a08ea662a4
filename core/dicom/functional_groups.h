#pragma once
// Enhanced multi-frame images (Enhanced CT/MR, or any CT/MR with NumberOfFrames > 1): the per-frame geometry and
// rescale kept in the Shared (5200,9229) and Per-frame (5200,9230) Functional Groups Sequences, and the split of
// such a file's header into one header per frame, so the series builder sees one slice per frame.
#include <gdcmDataSet.h>

#include <string>
#include <vector>

#include "core/dicom/file_header.h"

namespace lunglens::core::dicom {

// Fills h.frame_info (one entry per frame) from the functional groups of `ds`, and the shared orientation, pixel
// spacing, thickness and rescale where the top level has none. Leaves h alone when `ds` has no functional groups.
void readFunctionalGroups(const gdcm::DataSet& ds, FileHeader& h);

// Why a multi-frame header cannot be split into slices (one line), or empty when it can.
std::string whyFramesUnusable(const FileHeader& h);

// One header per frame of a multi-frame header that whyFramesUnusable() accepts: frame k's position, orientation,
// spacing and rescale, and its own offset into uncompressed pixel data. A single-frame header comes back alone.
std::vector<FileHeader> splitFrames(const FileHeader& h);

}  // namespace lunglens::core::dicom
