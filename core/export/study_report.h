#pragma once
// The study report of the AI results: per-slice scores as JSON and CSV, and a one-page self-contained HTML summary
// (score curve as inline SVG, key slices as embedded PNGs, the verdict with its numbers and rule, the model and its
// provenance, and the reading-aid disclaimer). Patient identity appears only with include_phi.
//
// CSV columns: index, sop_instance_uid, p_<class>... , m_<manifestation class>... (empty when not computed),
// top_class, flagged (1/0), ood_score and out_of_distribution (1/0; empty without a guard). One row per scored
// slice, in slice order.
//
// With a lung analysis (`lung`, null: none) report.json has a "lung" object (core/lung/lung_json.h, without the
// per-slice array) and report.html a "Lung analysis" section: volumes, % ground glass / consolidation and the score
// of each zone, the CT severity score, the HU bands and the note that it is a density measurement, not an AI score.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dicom/series.h"
#include "core/export/ai_results.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::core::exporting {

struct KeySliceImage {
  int index = 0;
  std::string png;      // encoded PNG bytes (embedded as a data: URI)
  std::string caption;  // e.g. "Slice 42: COVID-19 81 %"
};

std::string scoresCsv(const AiResults& results);
nlohmann::json reportJson(const AiResults& results, const dicom::SeriesInfo& series, bool include_phi,
                          const lung::LungAnalysis* lung = nullptr);
// The score curve: probability (0..1) of each class over the slice index, flagged slices marked.
std::string scoreCurveSvg(const AiResults& results, int width = 720, int height = 240);
std::string reportHtml(const AiResults& results, const dicom::SeriesInfo& series,
                       const std::vector<KeySliceImage>& keySlices, bool include_phi,
                       const lung::LungAnalysis* lung = nullptr);
// The "Lung analysis" section of report.html alone.
std::string lungAnalysisHtml(const lung::LungAnalysis& lung);

// Writes report.json, scores.csv and report.html into `dir` (created if needed), each atomically. Throws InputError
// (existing files unless overwrite, permission, disk full); a file that fails leaves no partial file behind.
void writeStudyReport(const std::filesystem::path& dir, const AiResults& results, const dicom::SeriesInfo& series,
                      const std::vector<KeySliceImage>& keySlices, bool include_phi, bool overwrite,
                      const lung::LungAnalysis* lung = nullptr);

std::string base64(const std::string& bytes);
std::string htmlEscape(const std::string& text);

}  // namespace lunglens::core::exporting
