#pragma once
// One file's DICOM header, read without its pixel data (the scan's only pass over a file).
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/volume/window.h"

namespace lunglens::core::dicom {

struct FileHeader {
  std::string path;
  // Identity and kind
  std::string sop_class_uid, sop_instance_uid, study_uid, series_uid, frame_of_reference_uid, modality;
  std::string transfer_syntax_uid, image_type, photometric;
  // For the reader
  std::string patient_name, patient_id, patient_birth_date, patient_sex;
  std::string study_description, series_description, study_date, study_time, accession_number, institution;
  std::string manufacturer, convolution_kernel, body_part;
  int series_number = 0, instance_number = 0;
  // Image
  bool has_pixel_data = false;
  bool pixel_data_truncated = false;  // the file ends before the (uncompressed) pixel data does
  int rows = 0, cols = 0, frames = 1, samples_per_pixel = 1, bits_allocated = 0;
  std::optional<std::array<double, 3>> position_mm;        // ImagePositionPatient
  std::optional<std::array<double, 6>> orientation;        // ImageOrientationPatient (normalised)
  std::optional<std::array<double, 2>> pixel_spacing_mm;   // between rows, between columns
  double slice_thickness_mm = 0.0;
  std::vector<volume::Window> windows;
  RawPixels raw;  // set when the pixels are uncompressed little-endian 16-bit (offset of frame 0)
  // Multi-frame files: which frame this header stands for (after splitFrames), and what the functional groups say
  // about each frame (empty when the file has none).
  int frame = 0;
  struct FrameInfo {
    std::optional<std::array<double, 3>> position_mm;       // PlanePositionSequence
    std::optional<std::array<double, 6>> orientation;       // PlaneOrientationSequence (per-frame or shared)
    std::optional<std::array<double, 2>> pixel_spacing_mm;  // PixelMeasuresSequence (per-frame or shared)
    std::optional<std::array<double, 2>> slope_intercept;   // PixelValueTransformationSequence
  };
  std::vector<FrameInfo> frame_info;
};

// The header, or why the file could not be read as DICOM (one line). Never throws.
struct HeaderResult {
  std::optional<FileHeader> header;
  std::string error;
};
HeaderResult readFileHeader(const std::filesystem::path& path);

// True for files whose data set GDCM reads as a DICOMDIR (Media Storage Directory).
bool isDicomdirClass(const std::string& sop_class_uid);

// Silences GDCM's warnings on stderr (bad files are reported by us, one line each). Idempotent.
void quietGdcm();

}  // namespace lunglens::core::dicom
