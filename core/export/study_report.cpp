#include "core/export/study_report.h"

#include "core/dicom/image_number.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/common/csv.h"
#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/common/paths.h"
#include "core/export/lung_report.h"
#include "core/lung/lung_json.h"

using nlohmann::json;

namespace lunglens::core::exporting {
namespace {

const char* const kColours[] = {"#d94801", "#2171b5", "#41ab5d", "#756bb1", "#e7298a", "#666666"};

bool contains(const std::vector<int>& v, int x) { return std::binary_search(v.begin(), v.end(), x); }

}  // namespace

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += table[v >> 18];
    out += table[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string htmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string scoresCsv(const AiResults& r) {
  const std::vector<int> flagged = suspiciousSlices(r);
  std::ostringstream out;
  out << "index,sop_instance_uid";
  for (const auto& c : r.classes) out << "," << csvField("p_" + c);
  for (const auto& m : r.manifestation_classes) out << "," << csvField("m_" + m);
  out << ",top_class,flagged,ood_score,out_of_distribution\n";
  for (const auto& s : r.slices) {
    out << s.index << "," << csvField(s.sop_instance_uid);
    for (double p : s.probabilities) out << "," << significant(p, 6);
    for (std::size_t m = 0; m < r.manifestation_classes.size(); ++m) {
      out << "," << (m < s.manifestation.size() ? significant(s.manifestation[m], 6) : "");
    }
    out << "," << csvField(r.topClass(s)) << "," << (contains(flagged, s.index) ? 1 : 0) << ","
        << (s.ood_score ? significant(*s.ood_score, 6) : "") << "," << (s.ood_score ? (s.out_of_distribution ? "1" : "0") : "")
        << "\n";
  }
  return out.str();
}

json reportJson(const AiResults& r, const dicom::SeriesInfo& s, bool include_phi, const lung::LungAnalysis* lung) {
  json study = {{"study_uid", s.study_uid},
                {"series_uid", s.series_uid},
                {"series_number", s.series_number},
                {"slices", s.slices.size()}};
  if (include_phi) {  // descriptions are free text that may name the patient: identity, as the rest
    study["study_description"] = s.study_description;
    study["series_description"] = s.series_description;
    study["patient_name"] = s.patient_name;
    study["patient_id"] = s.patient_id;
    study["patient_birth_date"] = s.patient_birth_date;
    study["study_date"] = s.study_date;
    study["accession_number"] = s.accession_number;
    study["institution"] = s.institution;
  }
  json out = toJson(r);
  out["format"] = "lunglens-study-report";
  out["study"] = study;
  out["flagged_slices"] = suspiciousSlices(r);  // 0-based indices, lowest slice = 0
  // The same slices as a reader names them ("Im", core::dicom::imageNumber).
  std::vector<int> images;
  for (int index : suspiciousSlices(r)) images.push_back(dicom::imageNumber(s, index));
  out["flagged_images"] = images;
  out["disclaimer"] = disclaimerText(r.model);
  if (r.withheld()) {  // the verdict of a series unlike the training data is not reported (issue 13)
    out["verdict"]["class"] = "";
    out["verdict"]["withheld"] = true;
  }
  if (lung) {  // a density measurement, independent of the AI (reported also where the AI verdict is withheld)
    out["lung"] = json::parse(lung::toJson(*lung, false).dump());
    out["lung"]["note"] = kLungKindNote;
  }
  return out;
}

std::string scoreCurveSvg(const AiResults& r, int width, int height) {
  const double left = 44, right = 12, top = 12, bottom = 30;
  const double plotW = width - left - right, plotH = height - top - bottom;
  int maxIndex = 1;
  for (const auto& s : r.slices) maxIndex = std::max(maxIndex, s.index);
  auto x = [&](int index) { return left + plotW * index / maxIndex; };
  auto y = [&](double p) { return top + plotH * (1.0 - std::clamp(p, 0.0, 1.0)); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plotW << "\" height=\"" << plotH
      << "\" fill=\"#fafafa\" stroke=\"#999\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double p = i / 4.0;
    svg << "<line x1=\"" << left << "\" x2=\"" << left + plotW << "\" y1=\"" << y(p) << "\" y2=\"" << y(p)
        << "\" stroke=\"#ddd\"/><text x=\"" << left - 6 << "\" y=\"" << y(p) + 4 << "\" text-anchor=\"end\">"
        << significant(p, 2) << "</text>\n";
  }
  for (int index : suspiciousSlices(r)) {
    svg << "<line class=\"flagged\" x1=\"" << x(index) << "\" x2=\"" << x(index) << "\" y1=\"" << top << "\" y2=\""
        << top + plotH << "\" stroke=\"#f4a582\" stroke-width=\"2\" opacity=\"0.6\"/>\n";
  }
  for (std::size_t c = 0; c < r.classes.size(); ++c) {
    svg << "<polyline class=\"curve\" data-class=\"" << htmlEscape(r.classes[c]) << "\" fill=\"none\" stroke=\""
        << kColours[c % 6] << "\" stroke-width=\"1.6\" points=\"";
    for (const auto& s : r.slices) {
      if (c < s.probabilities.size()) svg << fixed(x(s.index), 1) << "," << fixed(y(s.probabilities[c]), 1) << " ";
    }
    svg << "\"/>\n<text x=\"" << left + 8 + 130 * c << "\" y=\"" << height - 8 << "\" fill=\"" << kColours[c % 6]
        << "\">&#9632; " << htmlEscape(displayClassName(r.classes[c])) << "</text>\n";
  }
  svg << "<text x=\"" << left + plotW << "\" y=\"" << height - 8 << "\" text-anchor=\"end\">slice index (0 = "
      << "lowest)</text>\n</svg>\n";
  return svg.str();
}

std::string lungAnalysisHtml(const lung::LungAnalysis& a) {
  std::ostringstream h;
  h << "<section id=\"lung-analysis\">\n<h2>Lung analysis</h2>\n<p class=\"note\">" << htmlEscape(kLungKindNote)
    << " " << htmlEscape(lungBandsText(a.bands)) << ".</p>\n";
  h << "<table>\n<tr><th>CT severity score</th><td>" << a.severity_score << " / " << 4 * lung::kZoneCount
    << "</td></tr>\n<tr><th>Lung volume</th><td>Right " << lungMillilitres(a.right.volume_ml) << ", left "
    << lungMillilitres(a.left.volume_ml) << ", total " << lungMillilitres(a.both.volume_ml) << "</td></tr>\n</table>\n";
  h << "<table class=\"lung-zones\">\n<tr><th>Region</th><th>Volume</th><th>Ground glass</th><th>Consolidation</th>"
       "<th>Score (0-4)</th></tr>\n";
  auto row = [&](const std::string& name, const lung::RegionStats& st, const std::string& score) {
    h << "<tr><td>" << htmlEscape(name) << "</td><td>" << lungMillilitres(st.volume_ml) << "</td><td>"
      << fixed(st.ggo_percent, 1) << " %</td><td>" << fixed(st.consolidation_percent, 1) << " %</td><td>" << score
      << "</td></tr>\n";
  };
  for (int k = 0; k < lung::kZoneCount; ++k) {
    row(lungZoneLabel(static_cast<lung::Zone>(k + 1)), a.zones[static_cast<std::size_t>(k)],
        std::to_string(a.zone_scores[static_cast<std::size_t>(k)]));
  }
  row("Right lung", a.right, "");
  row("Left lung", a.left, "");
  row("Both lungs", a.both, std::to_string(a.severity_score));
  h << "</table>\n";
  for (const std::string& w : a.warnings) h << "<p class=\"note\">" << htmlEscape(w) << "</p>\n";
  h << "</section>\n";
  return h.str();
}

std::string reportHtml(const AiResults& r, const dicom::SeriesInfo& s, const std::vector<KeySliceImage>& keys,
                       bool include_phi, const lung::LungAnalysis* lung) {
  const std::string disclaimer = htmlEscape(disclaimerText(r.model));
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LungLens study report</title>\n"
       "<style>body{font-family:sans-serif;max-width:800px;margin:1em auto;color:#222}"
       ".disclaimer{background:#fff3cd;border:1px solid #e0b000;padding:.5em;font-weight:bold}"
       "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
       ".keys{display:flex;flex-wrap:wrap;gap:8px}.keys figure{margin:0;width:250px}"
       ".keys img{width:250px}figcaption{font-size:small}.note{font-size:small;color:#555}</style></head><body>\n";
  h << "<p class=\"disclaimer\">" << disclaimer << "</p>\n<h1>LungLens study report</h1>\n<table>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) h << "<tr><th>" << k << "</th><td>" << htmlEscape(v) << "</td></tr>\n";
  };
  if (include_phi) {
    row("Patient", s.patient_name);
    row("Patient ID", s.patient_id);
    row("Birth date", s.patient_birth_date);
    row("Study date", s.study_date);
    row("Accession", s.accession_number);
    row("Institution", s.institution);
    row("Study", s.study_description);
  }
  const bool seriesText = include_phi && !s.series_description.empty();
  row("Series", std::to_string(s.series_number) + (seriesText ? ": " + s.series_description : ""));
  row("Slices scored", std::to_string(r.slices.size()) + " of " + std::to_string(s.slices.size()));
  row("Model", r.model.name + (r.model.version.empty() ? "" : " v" + r.model.version));
  row("Provenance", r.model.provenance);
  row("Training data", r.model.trained_on_synthetic ? "synthetic phantoms (not patient data)" : "not synthetic");
  row("Resemblance to the training data", inference::oodCountsText(r.ood));
  h << "</table>\n";
  if (const std::string warning = oodWarningText(r); !warning.empty())
    h << "<p class=\"disclaimer\" id=\"ood-warning\">" << htmlEscape(warning) << "</p>\n";
  // A series unlike the training data: no verdict, no score curve, no flagged slices, key images without their
  // score captions; the warning above says why.
  const bool withheld = r.withheld();
  if (!withheld) {
    h << "<h2>Study verdict: "
      << htmlEscape(r.verdict.class_name.empty() ? "none" : displayClassName(r.verdict.class_name)) << "</h2>\n";
    if (!r.verdict.numbers.empty()) {
      h << "<table>\n";
      for (const auto& [name, value] : r.verdict.numbers) row(name, significant(value, 4));
      h << "</table>\n";
    }
    if (!r.verdict.rule.empty()) h << "<p>Rule: " << htmlEscape(r.verdict.rule) << "</p>\n";
    h << "<h2>Scores by slice</h2>\n" << scoreCurveSvg(r);
    const std::vector<int> flagged = suspiciousSlices(r);
    h << "<h2>Flagged slices (" << flagged.size() << ")</h2>\n";
    if (!flagged.empty()) {
      h << "<table><tr><th>Im</th><th>Slice (from the lowest)</th>";
      for (const auto& c : r.classes) h << "<th>" << htmlEscape(displayClassName(c)) << "</th>";
      h << "</tr>\n";
      for (int index : flagged) {
        h << "<tr><td>" << core::dicom::imageNumber(s, index) << "</td><td>" << index + 1 << " / " << s.slices.size()
          << "</td>";
        const SliceScores* scores = r.slice(index);
        for (std::size_t c = 0; c < r.classes.size(); ++c) {
          h << "<td>" << (scores && c < scores->probabilities.size() ? percent(scores->probabilities[c]) : "") << "</td>";
        }
        h << "</tr>\n";
      }
      h << "</table>\n";
    }
  }
  if (!keys.empty()) {
    h << "<h2>Key slices" << (withheld ? " (images only)" : "") << "</h2>\n<div class=\"keys\">\n";
    for (const auto& k : keys) {
      h << "<figure><img alt=\"slice " << k.index << "\" src=\"data:image/png;base64," << base64(k.png) << "\">";
      if (!withheld) h << "<figcaption>" << htmlEscape(k.caption) << "</figcaption>";
      h << "</figure>\n";
    }
    h << "</div>\n";
  }
  if (lung) h << lungAnalysisHtml(*lung);
  h << "<p class=\"disclaimer\">" << disclaimer << "</p>\n</body></html>\n";
  return h.str();
}

void writeStudyReport(const std::filesystem::path& dir, const AiResults& r, const dicom::SeriesInfo& s,
                      const std::vector<KeySliceImage>& keys, bool include_phi, bool overwrite,
                      const lung::LungAnalysis* lung) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError(dir.string(), "cannot create the report folder: " + ec.message());
  // All or nothing when refusing to overwrite: check every name before writing any.
  for (const char* name : {"report.json", "scores.csv", "report.html"}) {
    if (!overwrite && std::filesystem::exists(dir / name)) {
      throw InputError((dir / name).string(), "file exists; not overwriting it");
    }
  }
  writeFileAtomically(dir / "report.json", reportJson(r, s, include_phi, lung).dump(2) + "\n", overwrite);
  writeFileAtomically(dir / "scores.csv", scoresCsv(r), overwrite);
  writeFileAtomically(dir / "report.html", reportHtml(r, s, keys, include_phi, lung), overwrite);
}

}  // namespace lunglens::core::exporting
