#pragma once
// The text in the view's corners and edges, built from plain values so it can be checked without a display.
// Patient-identifying text (name, IDs, birth date, dates, accession, institution) disappears when PHI is hidden.
#include <optional>
#include <string>
#include <vector>

#include "core/dicom/series.h"
#include "core/volume/window.h"

namespace lunglens::ui::viewer {

// What the overlay says about the patient, study and series (copied from core::dicom::SeriesInfo).
struct StudyFacts {
  // Identifying
  std::string patient_name, patient_id, patient_birth_date, study_date, study_time, accession_number, institution;
  // Not identifying
  std::string patient_sex, study_description, series_description, modality;
  int series_number = 0;
  double slice_thickness_mm = 0.0;
  // The reader's number per slice (core::dicom::imageNumbers): the DICOM InstanceNumber where the series has them,
  // the frame number for the frames of one enhanced multi-frame file.
  std::vector<int> image_numbers;
  bool image_numbers_from_dicom = false;
};

StudyFacts studyFactsFrom(const core::dicom::SeriesInfo& series);

// The view's state as the overlay reports it.
struct OverlayState {
  int slice = 0;                 // 0-based index
  int slice_count = 0;
  int ready_count = 0;           // slices decoded so far
  double slice_position_mm = 0.0;
  core::volume::Window window;
  double zoom = 1.0;             // relative to fitting the slice in the view
  std::optional<int> hu;         // HU under the cursor, when it is over a decoded slice
  int cursor_x = 0, cursor_y = 0;
  bool phi_hidden = false;
};

struct OverlayText {
  std::string top_left, top_right, bottom_left, bottom_right;  // lines separated by '\n'
};

OverlayText buildOverlayText(const StudyFacts& facts, const OverlayState& state);

// DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else unchanged.
std::string formatDicomDate(const std::string& da);
// A free-text description for display: component separators ('^') as spaces, runs of spaces as one, trimmed.
std::string formatDescription(const std::string& text);
// DICOM PN ("Family^Given^Middle") as "Family, Given Middle".
std::string formatPersonName(const std::string& pn);

}  // namespace lunglens::ui::viewer
