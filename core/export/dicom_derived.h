#pragma once
// DICOM objects LungLens derives from a CT series: a Secondary Capture of an annotated image and a Structured Report
// of the AI results. Both join the SOURCE study (same patient and study identity, as PACS needs to file them) as a
// new series, reference the source slices by SOP instance UID, and are written atomically (temporary file, then
// rename; never replacing a file unless asked).
//
// PHI: the header's patient and study attributes are copied from the source series because an object that does not
// match its study cannot be filed; anonymization applies to what is burned into the pixels (BurnedInAnnotation says
// which). Export a de-identified study if the header itself must carry no identity.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/export/ai_results.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::core::exporting {

// The new series the derived objects go into.
struct DerivedSeries {
  std::string series_uid;
  int series_number = 0;
  std::string description;
};
// A fresh series UID; number = source series number + 9000 (kept clear of the scanner's own numbers).
DerivedSeries newDerivedSeries(const dicom::SeriesInfo& source, const std::string& description);

// A fresh DICOM UID under LungLens' root.
std::string newDicomUid();

// An 8-bit RGB image, row-major, 3 bytes per pixel.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
};

struct SecondaryCaptureInput {
  RgbImage image;
  std::vector<int> source_slices;  // indices into source.slices the image shows (referenced in SourceImageSequence)
  bool phi_burned_in = false;      // the image shows patient identity (BurnedInAnnotation YES)
  int instance_number = 1;
  std::string derivation;          // e.g. "Annotated LungLens view of slice 42 with AI heatmap"
};

// Writes one Secondary Capture Image Storage object. Returns its SOP Instance UID.
// Throws InputError for bad input (empty image, slice out of range) and for write failures.
std::string writeSecondaryCapture(const SecondaryCaptureInput& input, const dicom::SeriesInfo& source,
                                  const DerivedSeries& series, const std::filesystem::path& file, bool overwrite);

// Writes a Comprehensive SR carrying the AI results: the model (name, version, provenance, synthetic flag), the
// study verdict with its numbers and rule, and every flagged slice with its class probabilities, manifestation
// probabilities and a reference to its CT SOP instance. With a lung analysis (null: none) a "Lung analysis"
// container follows: lung volumes (UCUM ml), % ground glass and consolidation of each lung and each of the six zones
// (UCUM %), the zone scores and the CT severity score (UCUM {score}), the HU bands used, and the note that these are
// quantitative density measurements, not AI scores. Returns the SR's SOP Instance UID.
std::string writeAiStructuredReport(const AiResults& results, const dicom::SeriesInfo& source,
                                    const DerivedSeries& series, const std::filesystem::path& file, bool overwrite,
                                    const lung::LungAnalysis* lung = nullptr);

}  // namespace lunglens::core::exporting
