#include "ui/pacs/study_search.h"

#include <algorithm>

namespace lunglens::ui::pacs {

std::vector<StudyHit> searchStudies(const core::pacs::Connection& c, const core::pacs::Query& query,
                                    const core::CancelToken& cancel, int max_studies, bool* truncated) {
  core::pacs::Query studyQuery = query;
  studyQuery.level = core::pacs::Level::Study;
  auto studies = core::pacs::find(c, studyQuery);
  std::sort(studies.begin(), studies.end(), [](const auto& a, const auto& b) {
    return std::tie(a.patient_name, a.patient_id, a.study_date) < std::tie(b.patient_name, b.patient_id, b.study_date);
  });
  if (truncated) *truncated = static_cast<int>(studies.size()) > max_studies;
  if (static_cast<int>(studies.size()) > max_studies) studies.resize(static_cast<std::size_t>(max_studies));
  std::vector<StudyHit> hits;
  for (auto& s : studies) {
    cancel.throwIfCancelled();
    core::pacs::Query seriesQuery;
    seriesQuery.level = core::pacs::Level::Series;
    seriesQuery.study_uid = s.study_uid;
    StudyHit hit{std::move(s), core::pacs::find(c, seriesQuery)};
    std::sort(hit.series.begin(), hit.series.end(),
              [](const auto& a, const auto& b) { return a.series_number < b.series_number; });
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace lunglens::ui::pacs
