#include "core/library/teaching_set.h"

#include <cctype>
#include <cstdio>

#include "core/common/error.h"

namespace lunglens::core::library {

using json = nlohmann::json;

namespace {

std::string slug(const std::string& label) {
  std::string out;
  for (char c : label) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "case" : out;
}

json optionalScore(const std::optional<double>& score) { return score ? json(*score) : json(nullptr); }

json aiJson(const QueryRow& row) {
  if (row.diagnosis.empty()) return nullptr;
  return {{"diagnosis", row.ai_diagnosis},
          {"manifestation", row.ai_manifestation.empty() ? json(nullptr) : json(row.ai_manifestation)},
          {"probabilities", row.diagnosis},
          {"manifestation_probabilities", row.manifestation.empty() ? json(nullptr) : json(row.manifestation)}};
}

json teacherJson(const QueryRow& row) {
  if (!row.teacher) return nullptr;
  return {{"diagnosis", row.teacher->diagnosis},
          {"manifestations", row.teacher->manifestations},
          {"note", row.teacher->note}};
}

json gradcamJson(const QueryRow& row) {
  if (!row.gradcam) return nullptr;
  return {{"class", row.gradcam->class_name},
          {"peak_row", row.gradcam->peak_row},
          {"peak_col", row.gradcam->peak_col},
          {"threshold", row.gradcam->threshold},
          {"area_over_threshold_mm2", row.gradcam->area_over_threshold_mm2}};
}

}  // namespace

std::string teachingImageName(int position, const QueryRow& row) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%03d_", position);
  char slice[32];
  std::snprintf(slice, sizeof slice, "_slice-%03d.png", row.slice);
  return buffer + slug(row.study_label) + slice;
}

json filterJson(const QueryFilter& f) {
  const char* source = f.source == QueryFilter::Source::Ai ? "ai"
                       : f.source == QueryFilter::Source::Teacher ? "teacher" : "either";
  return {{"source", source},
          {"diagnosis", f.diagnosis.empty() ? json(nullptr) : json(f.diagnosis)},
          {"manifestation", f.manifestation.empty() ? json(nullptr) : json(f.manifestation)},
          {"min_score", optionalScore(f.min_score)},
          {"max_score", optionalScore(f.max_score)},
          {"tag", f.tag.empty() ? json(nullptr) : json(f.tag)},
          {"limit", f.limit}};
}

json teachingIndex(const std::vector<QueryRow>& rows, const std::vector<std::string>& images,
                   const QueryFilter& filter, const std::string& disclaimer) {
  if (rows.size() != images.size()) throw InternalError("teaching set: one image per row expected");
  json items = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const QueryRow& r = rows[i];
    items.push_back({{"image", images[i]},
                     {"case", r.study_label},
                     {"slice", r.slice},
                     {"slices", r.slice_count},
                     {"score", optionalScore(r.score)},
                     {"ai", aiJson(r)},
                     {"teacher", teacherJson(r)},
                     {"tags", r.tags},
                     {"gradcam", gradcamJson(r)}});
  }
  return {{"format", "lunglens-teaching-set"},
          {"version", 1},
          {"disclaimer", disclaimer},
          {"filter", filterJson(filter)},
          {"items", items}};
}

json queryRowJson(const QueryRow& r) {
  return {{"study", r.study_label},
          {"study_uid", r.study_uid},
          {"series_uid", r.series_uid},
          {"slice", r.slice},
          {"score", optionalScore(r.score)},
          {"ai", aiJson(r)},
          {"teacher", teacherJson(r)},
          {"tags", r.tags},
          {"gradcam", gradcamJson(r)},
          {"missing", r.missing},
          {"out_of_distribution", r.out_of_distribution},
          {"file", r.file}};
}

}  // namespace lunglens::core::library
