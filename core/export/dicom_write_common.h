#pragma once
// Internal to core/export: what the Secondary Capture and SR writers share (DCMTK types stay out of public headers).
#include <filesystem>
#include <string>

#include "core/dicom/series.h"

class DcmDataset;
class DcmFileFormat;

namespace lunglens::core::exporting::detail {

// Patient and General Study attributes copied from the source series (type 2 ones present even when empty).
void putPatientAndStudy(DcmDataset& dataset, const dicom::SeriesInfo& source);

// The SOP Class UID of the source slices, read from the first slice's file; falls back to CT Image Storage.
std::string sourceSopClassUid(const dicom::SeriesInfo& source);

// The Referenced Frame Number (0008,1160) of slice `index` (1-based) when it is one frame of a multi-frame instance
// (enhanced CT: another slice of the series shares its SOP instance, or it is not the file's first frame), so a
// reference opens that frame; 0 for a single-frame instance, which is referenced whole (no frame number).
int referencedFrameNumber(const dicom::SeriesInfo& source, int index);

// DICOM DA and TM of now (local time).
std::string todayDa();
std::string nowTm();

// Saves as Explicit VR Little Endian with a meta header, through a temporary file beside `file` and a rename.
// Throws InputError (file exists and !overwrite, cannot write, disk full); never leaves a partial file.
void saveAtomically(DcmFileFormat& fileFormat, const std::filesystem::path& file, bool overwrite);

// Throws InputError(context, message) when a DCMTK call failed.
void check(bool ok, const std::string& context, const std::string& what);

}  // namespace lunglens::core::exporting::detail
