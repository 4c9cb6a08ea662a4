#pragma once
// The one rule for the number a reader calls a slice by ("Im"). Everywhere LungLens names a slice to a person (the
// viewer's overlay, CLI output, export file names, reports, DICOM SR) it uses imageNumber(): the DICOM
// InstanceNumber (0020,0013) when every slice of the series has a distinct positive one, else the 1-based
// position in the stack (index + 1, bottom to top); for the frames of one enhanced multi-frame file, the frame
// number within the file (1-based). Indices (0-based, lowest slice = 0) stay internal, in JSON
// fields named "index" / "slice", and in `--slice N`. Documented in docs/NUMBERING.md.
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/series.h"

namespace lunglens::core::dicom {

// Whether a series' InstanceNumbers can name its slices (each slice has one > 0, no two alike).
bool usesInstanceNumbers(const std::vector<int>& instanceNumbers);

// Which number names the slices of a series ("Im"). FrameNumber: every slice is a frame of one multi-frame file
// (enhanced CT: all frames share the file's InstanceNumber), numbered by its frame within the file, 1-based, the
// number DICOM references address it by (Referenced Frame Number). InstanceNumber: one file per slice, each with a
// distinct positive InstanceNumber. Position: anything else, 1.. from the lowest slice.
enum class Numbering { InstanceNumber, FrameNumber, Position };
Numbering numberingOf(const SeriesInfo& series);
// What the numbers are, for messages: "DICOM InstanceNumber", "frame number in the multi-frame file", ...
std::string numberingName(Numbering numbering);

// The reader's number of every slice, in stack order (index 0 = lowest).
std::vector<int> imageNumbers(const SeriesInfo& series);
std::vector<int> imageNumbers(const std::vector<int>& instanceNumbers);

// The reader's number of slice `z` (0-based index).
int imageNumber(const SeriesInfo& series, int z);
// "Im 93" for slice z.
std::string imageLabel(const SeriesInfo& series, int z);

// The 0-based index of the slice a reader calls `number`, or nothing when no slice has it.
std::optional<int> sliceOfImageNumber(const SeriesInfo& series, int number);

// Parses one slice given on a command line: "N" is the 0-based index (as since the first release), "im:N" the
// reader's image number (the InstanceNumber where the series has them). Throws InputError("--slice", ...) naming
// the valid range when the slice does not exist or the text is not a number.
int parseSliceSpec(const SeriesInfo& series, const std::string& text);

}  // namespace lunglens::core::dicom
