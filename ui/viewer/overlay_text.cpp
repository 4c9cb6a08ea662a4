#include "ui/viewer/overlay_text.h"

#include "core/dicom/image_number.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "core/common/number_format.h"

namespace lunglens::ui::viewer {

namespace {

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (line.empty()) continue;
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

StudyFacts studyFactsFrom(const core::dicom::SeriesInfo& s) {
  StudyFacts f;
  f.patient_name = s.patient_name;
  f.patient_id = s.patient_id;
  f.patient_birth_date = s.patient_birth_date;
  f.study_date = s.study_date;
  f.study_time = s.study_time;
  f.accession_number = s.accession_number;
  f.institution = s.institution;
  f.patient_sex = s.patient_sex;
  f.study_description = s.study_description;
  f.series_description = s.series_description;
  f.modality = s.modality;
  f.series_number = s.series_number;
  f.slice_thickness_mm = s.slice_thickness_mm;
  f.image_numbers = core::dicom::imageNumbers(s);
  // DICOM's own numbers (InstanceNumbers, or the frame numbers of one enhanced multi-frame file) beside the
  // position; the position alone where the series has neither.
  f.image_numbers_from_dicom = core::dicom::numberingOf(s) != core::dicom::Numbering::Position;
  return f;
}

std::string formatDicomDate(const std::string& da) {
  const std::string d = trimmed(da);
  if (d.size() != 8 || d.find_first_not_of("0123456789") != std::string::npos) return d;
  return d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
}

std::string formatDescription(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '^' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string formatPersonName(const std::string& pn) {
  std::vector<std::string> parts;
  std::stringstream in(pn.substr(0, pn.find('=')));  // alphabetic representation only
  for (std::string part; std::getline(in, part, '^');) parts.push_back(trimmed(part));
  if (parts.empty()) return "";
  std::string given;
  for (std::size_t i = 1; i < parts.size() && i < 3; ++i) {
    if (parts[i].empty()) continue;
    given += (given.empty() ? "" : " ") + parts[i];
  }
  return given.empty() ? parts[0] : parts[0] + ", " + given;
}

OverlayText buildOverlayText(const StudyFacts& f, const OverlayState& s) {
  OverlayText t;
  const std::string sex = f.patient_sex.empty() ? "" : "Sex " + trimmed(f.patient_sex);
  if (s.phi_hidden) {
    t.top_left = joinLines({"Patient data hidden", sex});
  } else {
    const std::string birth = f.patient_birth_date.empty() ? "" : "Born " + formatDicomDate(f.patient_birth_date);
    std::string birthAndSex = birth;
    if (!sex.empty()) birthAndSex += (birth.empty() ? "" : "  ") + sex;
    t.top_left = joinLines({formatPersonName(f.patient_name), f.patient_id.empty() ? "" : "ID " + f.patient_id,
                            birthAndSex, trimmed(f.institution)});
  }

  std::string series = f.series_number != 0 ? "Se " + std::to_string(f.series_number) : "";
  if (!f.series_description.empty()) series += (series.empty() ? "" : ": ") + formatDescription(f.series_description);
  std::vector<std::string> study = {formatDescription(f.study_description)};
  if (!s.phi_hidden) {
    study.push_back(formatDicomDate(f.study_date));
    study.push_back(f.accession_number.empty() ? "" : "Acc " + f.accession_number);
  }
  study.push_back(series);
  study.push_back(f.modality);
  t.top_right = joinLines(study);

  std::vector<std::string> slice;
  if (s.slice_count > 0) {
    // "Im" is the DICOM image number where the series has them (core::dicom::imageNumber's rule), with the
    // position in the stack beside it; else the 1-based position alone.
    if (f.image_numbers_from_dicom && s.slice >= 0 && s.slice < static_cast<int>(f.image_numbers.size())) {
      slice.push_back("Im " + std::to_string(f.image_numbers[static_cast<std::size_t>(s.slice)]) + "   (" +
                      std::to_string(s.slice + 1) + " / " + std::to_string(s.slice_count) + ")");
    } else {
      slice.push_back("Im " + std::to_string(s.slice + 1) + " / " + std::to_string(s.slice_count));
    }
    slice.push_back("Pos " + core::fixed(s.slice_position_mm, 1) + " mm");
    if (f.slice_thickness_mm > 0.0) slice.push_back("Thk " + core::fixed(f.slice_thickness_mm, 1) + " mm");
    if (s.ready_count < s.slice_count) {
      slice.push_back("Loading " + std::to_string(s.ready_count) + " / " + std::to_string(s.slice_count));
    }
    if (s.hu) {
      slice.push_back("HU " + std::to_string(*s.hu) + "  (x " + std::to_string(s.cursor_x) + ", y " +
                      std::to_string(s.cursor_y) + ")");
    }
  }
  t.bottom_left = joinLines(slice);

  std::string window = "W " + core::fixed(s.window.width, 0) + "  L " + core::fixed(s.window.level, 0);
  if (!s.window.name.empty()) window += "  (" + s.window.name + ")";
  t.bottom_right = s.slice_count > 0 ? joinLines({window, "Zoom " + core::fixed(s.zoom, 2) + "x"}) : "";
  return t;
}

}  // namespace lunglens::ui::viewer
