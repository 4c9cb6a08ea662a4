#include "core/dicom/slice_eligibility.h"

#include <utility>

#include "core/dicom/functional_groups.h"
#include <vector>

namespace lunglens::core::dicom {
namespace {

constexpr int kMaxSliceSide = 4096;

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

using ClassTable = std::vector<std::pair<std::string, std::string>>;

// SOP classes that hold no image at all, by UID prefix (first match wins).
const ClassTable& noImageClasses() {
  static const ClassTable table = {
      {"1.2.840.10008.1.3.10", "DICOMDIR: an index of other files, no image"},
      {"1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set: no image"},
      {"1.2.840.10008.5.1.4.1.1.481.5", "RT Plan: no image"},
      {"1.2.840.10008.5.1.4.1.1.481.8", "RT Ion Plan: no image"},
      {"1.2.840.10008.5.1.4.1.1.88.", "Structured report: no image"},
      {"1.2.840.10008.5.1.4.1.1.9.", "Waveform: no image"},
      {"1.2.840.10008.5.1.4.1.1.11.", "Presentation state: no image"},
      {"1.2.840.10008.5.1.4.1.1.104.", "Encapsulated document: no image"},
  };
  return table;
}

// SOP classes whose images are not cross-sectional CT-like slices.
const ClassTable& nonSliceImageClasses() {
  static const ClassTable table = {
      {"1.2.840.10008.5.1.4.1.1.481.1", "RT Image: a projection, not a CT slice"},
      {"1.2.840.10008.5.1.4.1.1.481.2", "RT Dose: a dose grid, not a CT image"},
      {"1.2.840.10008.5.1.4.1.1.481.", "RT object: not a CT image"},
      {"1.2.840.10008.5.1.4.1.1.66", "Segmentation or registration object, not a CT image"},
      {"1.2.840.10008.5.1.4.1.1.7", "Secondary capture: no patient geometry, not a CT slice"},
      {"1.2.840.10008.5.1.4.1.1.1", "Radiograph: a projection, not a CT slice"},  // CR, DX, MG, IO
      {"1.2.840.10008.5.1.4.1.1.6.", "Ultrasound image, not a CT slice"},
      {"1.2.840.10008.5.1.4.1.1.3.", "Ultrasound image, not a CT slice"},
      {"1.2.840.10008.5.1.4.1.1.12.", "X-ray angiography image, not a CT slice"},
  };
  return table;
}

std::string lookUp(const ClassTable& table, const std::string& uid) {
  for (const auto& [prefix, reason] : table) {
    // "...1.1.1" must not swallow "...1.1.128" (PET) or "...1.1.2" (CT): match whole UID components.
    if (!startsWith(uid, prefix)) continue;
    if (prefix.back() == '.' || uid.size() == prefix.size() || uid[prefix.size()] == '.') return reason;
  }
  return {};
}

}  // namespace

std::string whyNotASlice(const FileHeader& h) {
  if (std::string why = lookUp(noImageClasses(), h.sop_class_uid); !why.empty()) return why;
  if (!h.has_pixel_data) return "no pixel data" + (h.modality.empty() ? std::string() : " (" + h.modality + ")");
  if (h.samples_per_pixel != 1 || startsWith(h.photometric, "RGB") || startsWith(h.photometric, "YBR")) {
    return "RGB image, not a CT slice";
  }
  if (h.photometric == "PALETTE COLOR") return "palette colour image, not a CT slice";
  if (h.pixel_data_truncated) return "truncated file: the pixel data is incomplete";
  if (std::string why = lookUp(nonSliceImageClasses(), h.sop_class_uid); !why.empty()) return why;
  if (!h.photometric.empty() && h.photometric != "MONOCHROME1" && h.photometric != "MONOCHROME2") {
    return "photometric interpretation " + h.photometric + ", not a greyscale slice";
  }
  if (h.rows <= 0 || h.cols <= 0) return "no image size (Rows/Columns)";
  // A bound on what one slice may cost to decode and hold (a damaged Rows/Columns would ask for gigabytes).
  if (h.rows > kMaxSliceSide || h.cols > kMaxSliceSide)
    return "image of " + std::to_string(h.cols) + " x " + std::to_string(h.rows) + " pixels: larger than " +
           std::to_string(kMaxSliceSide) + " x " + std::to_string(kMaxSliceSide) + ", not a CT slice";
  if (h.bits_allocated != 8 && h.bits_allocated != 16 && h.bits_allocated != 32) {
    return std::to_string(h.bits_allocated) + "-bit pixels, not a CT slice";
  }
  if (std::string why = whyFramesUnusable(h); !why.empty()) return why;
  if (!h.position_mm || !h.orientation) {
    return "no image position/orientation in the patient: not a cross-sectional slice";
  }
  if (h.series_uid.empty()) return "no Series Instance UID";
  return {};
}

}  // namespace lunglens::core::dicom
