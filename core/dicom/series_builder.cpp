#include "core/dicom/series_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>

#include "core/volume/geometry.h"

namespace lunglens::core::dicom {
namespace {

using volume::Vec3;

std::string mm(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string fileName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

bool sameOrientation(const std::array<double, 6>& a, const std::array<double, 6>& b) {
  for (std::size_t i = 0; i < 6; ++i) {
    if (std::abs(a[i] - b[i]) > 1e-3) return false;
  }
  return true;
}

// Keeps the largest group of headers agreeing on `same`; the others go to `skipped` with `reason(dropped, kept)`.
template <typename Same, typename Reason>
std::vector<FileHeader> keepMajority(std::vector<FileHeader> files, Same same, Reason reason,
                                     std::vector<SkippedFile>& skipped) {
  std::vector<std::vector<FileHeader>> groups;
  for (auto& f : files) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return same(g.front(), f); });
    if (it == groups.end()) {
      groups.push_back({std::move(f)});
    } else {
      it->push_back(std::move(f));
    }
  }
  // Largest first; stable so equal-sized groups keep the order files were found in.
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (std::size_t g = 1; g < groups.size(); ++g) {
    for (const auto& f : groups[g]) skipped.push_back({f.path, reason(f, groups.front().front())});
  }
  return std::move(groups.front());
}

Vec3 rowDir(const FileHeader& h) { return {(*h.orientation)[0], (*h.orientation)[1], (*h.orientation)[2]}; }
Vec3 colDir(const FileHeader& h) { return {(*h.orientation)[3], (*h.orientation)[4], (*h.orientation)[5]}; }

void describeSpacing(SeriesInfo& s) {
  const auto& sl = s.slices;
  if (sl.size() < 2) {
    s.slice_spacing_mm = s.slice_thickness_mm > 0 ? s.slice_thickness_mm : 0.0;
    return;
  }
  std::vector<double> d;
  for (std::size_t i = 1; i < sl.size(); ++i) d.push_back(sl[i].position_along_normal_mm - sl[i - 1].position_along_normal_mm);
  std::vector<double> sorted = d;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
  const double median = sorted[sorted.size() / 2];
  s.slice_spacing_mm = median;
  double minOther = median, maxOther = median;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d[i] > 1.5 * median) {
      const long missing = std::lround(d[i] / median) - 1;
      s.warnings.push_back("gap at position " + mm(sl[i].position_along_normal_mm) + " mm: " + mm(d[i]) +
                           " mm to the next slice, expected " + mm(median) + " mm (about " + std::to_string(missing) +
                           " missing slice" + (missing == 1 ? "" : "s") + ")");
    } else if (std::abs(d[i] - median) > std::max(0.05 * median, 0.01)) {
      minOther = std::min(minOther, d[i]);
      maxOther = std::max(maxOther, d[i]);
    }
  }
  if (minOther < median || maxOther > median) {
    s.warnings.push_back("uneven spacing: distances between slices range from " + mm(minOther) + " to " +
                         mm(maxOther) + " mm (median " + mm(median) + " mm)");
  }
  // Slices should sit on a line along the normal; a sideways drift means gantry tilt or a sheared stack.
  const Vec3 n = volume::cross({s.orientation[0], s.orientation[1], s.orientation[2]},
                               {s.orientation[3], s.orientation[4], s.orientation[5]});
  Vec3 delta{};
  for (int i = 0; i < 3; ++i) delta[i] = sl.back().position_mm[i] - sl.front().position_mm[i];
  const double along = volume::dot(delta, n);
  double sideways = 0;
  for (int i = 0; i < 3; ++i) sideways += std::pow(delta[i] - along * n[i], 2);
  if (std::sqrt(sideways) > 1.0) {
    s.warnings.push_back("slices drift " + mm(std::sqrt(sideways)) +
                         " mm sideways across the stack (gantry tilt?); the volume ignores the drift");
  }
}

SeriesInfo describe(std::vector<FileHeader> files, std::vector<SkippedFile>& skipped) {
  const std::size_t found = files.size();
  std::vector<std::string> warnings;
  files = keepMajority(
      std::move(files), [](const auto& a, const auto& b) { return sameOrientation(*a.orientation, *b.orientation); },
      [](const FileHeader& f, const FileHeader&) {
        return f.image_type.find("LOCALIZER") != std::string::npos
                   ? std::string("localizer: its orientation differs from the series")
                   : std::string("orientation differs from the rest of the series");
      },
      skipped);
  if (files.size() < found) {
    warnings.push_back("left out " + std::to_string(found - files.size()) +
                       " image(s) with another orientation (localizer?)");
  }
  const std::size_t sameOrient = files.size();
  files = keepMajority(
      std::move(files), [](const auto& a, const auto& b) { return a.rows == b.rows && a.cols == b.cols; },
      [](const FileHeader& f, const FileHeader& k) {
        return "image size " + std::to_string(f.cols) + "x" + std::to_string(f.rows) + " differs from the series' " +
               std::to_string(k.cols) + "x" + std::to_string(k.rows);
      },
      skipped);
  if (files.size() < sameOrient) {
    warnings.push_back("left out " + std::to_string(sameOrient - files.size()) + " image(s) of another size");
  }
  const std::size_t sameSize = files.size();
  auto spacingOf = [](const FileHeader& h) { return h.pixel_spacing_mm.value_or(std::array<double, 2>{1.0, 1.0}); };
  files = keepMajority(
      std::move(files),
      [&](const auto& a, const auto& b) {
        const auto sa = spacingOf(a), sb = spacingOf(b);
        return std::abs(sa[0] - sb[0]) < 1e-3 && std::abs(sa[1] - sb[1]) < 1e-3;
      },
      [](const FileHeader&, const FileHeader&) { return std::string("pixel spacing differs from the series"); },
      skipped);
  if (files.size() < sameSize) {
    warnings.push_back("left out " + std::to_string(sameSize - files.size()) + " image(s) with another pixel spacing");
  }

  const Vec3 normal = volume::cross(rowDir(files.front()), colDir(files.front()));
  auto key = [&](const FileHeader& h) { return volume::dot(*h.position_mm, normal); };
  std::sort(files.begin(), files.end(), [&](const FileHeader& a, const FileHeader& b) {
    return std::make_tuple(key(a), a.instance_number, a.path, a.frame) <
           std::make_tuple(key(b), b.instance_number, b.path, b.frame);
  });

  SeriesInfo s;
  const FileHeader& first = files.front();
  s.study_uid = first.study_uid;
  s.series_uid = first.series_uid;
  s.frame_of_reference_uid = first.frame_of_reference_uid;
  s.modality = first.modality;
  s.patient_name = first.patient_name;
  s.patient_id = first.patient_id;
  s.patient_birth_date = first.patient_birth_date;
  s.patient_sex = first.patient_sex;
  s.study_description = first.study_description;
  s.series_description = first.series_description;
  s.study_date = first.study_date;
  s.study_time = first.study_time;
  s.accession_number = first.accession_number;
  s.institution = first.institution;
  s.manufacturer = first.manufacturer;
  s.convolution_kernel = first.convolution_kernel;
  s.body_part = first.body_part;
  s.series_number = first.series_number;
  s.rows = first.rows;
  s.cols = first.cols;
  s.pixel_spacing_mm = spacingOf(first);
  s.orientation = *first.orientation;
  s.slice_thickness_mm = first.slice_thickness_mm;
  s.window_presets = first.windows;
  if (!first.pixel_spacing_mm) warnings.push_back("no pixel spacing in the files: assuming 1 mm");

  std::size_t duplicates = 0;
  std::map<std::string, std::string> pathOfUid;
  for (const auto& f : files) {
    // The frames of one multi-frame file share its SOP Instance UID: the frame number is part of the identity.
    const std::string uid = f.sop_instance_uid.empty() ? std::string() : f.sop_instance_uid + "#" + std::to_string(f.frame);
    const auto known = uid.empty() ? pathOfUid.end() : pathOfUid.find(uid);
    if (known != pathOfUid.end()) {
      skipped.push_back({f.path, "duplicate instance: same SOP Instance UID as " + fileName(known->second)});
      ++duplicates;
      continue;
    }
    if (!s.slices.empty() && std::abs(key(f) - s.slices.back().position_along_normal_mm) < 0.01) {
      skipped.push_back({f.path, "duplicate slice: same position (" + mm(key(f)) + " mm) as " +
                                     fileName(s.slices.back().path)});
      ++duplicates;
      continue;
    }
    s.slices.push_back({f.path, f.frame, f.sop_instance_uid, f.instance_number, *f.position_mm, key(f), f.raw});
    if (!uid.empty()) pathOfUid.emplace(uid, f.path);
  }
  if (duplicates) warnings.push_back("left out " + std::to_string(duplicates) + " duplicate slice(s)");
  describeSpacing(s);
  if (s.modality != "CT") {
    s.warnings.push_back("modality " + (s.modality.empty() ? std::string("unknown") : s.modality) +
                         ": values are not Hounsfield units");
  }
  s.warnings.insert(s.warnings.begin(), warnings.begin(), warnings.end());
  return s;
}

}  // namespace

SeriesBuild buildSeries(std::vector<FileHeader> slices) {
  // Path order makes the outcome independent of how the files were listed (folder walk or DICOMDIR).
  std::sort(slices.begin(), slices.end(), [](const FileHeader& a, const FileHeader& b) { return a.path < b.path; });
  std::map<std::pair<std::string, std::string>, std::vector<FileHeader>> groups;
  for (auto& h : slices) groups[{h.study_uid, h.series_uid}].push_back(std::move(h));
  SeriesBuild out;
  for (auto& [uids, files] : groups) out.series.push_back(describe(std::move(files), out.skipped));
  std::sort(out.series.begin(), out.series.end(), [](const SeriesInfo& a, const SeriesInfo& b) {
    return std::tie(a.patient_id, a.study_date, a.study_uid, a.series_number, a.series_uid) <
           std::tie(b.patient_id, b.study_date, b.study_uid, b.series_number, b.series_uid);
  });
  return out;
}

}  // namespace lunglens::core::dicom
