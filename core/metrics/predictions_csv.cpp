#include "core/metrics/predictions_csv.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "core/common/csv.h"
#include "core/common/csv.h"
#include "core/common/error.h"
#include "core/common/strict_number.h"

namespace lunglens::core::metrics {


static int classIndex(const std::vector<std::string>& classes, const std::string& name, const std::string& where) {
  const auto it = std::find(classes.begin(), classes.end(), name);
  if (it == classes.end()) throw InputError(where, "label '" + name + "' is not one of the p_ columns");
  return static_cast<int>(it - classes.begin());
}

PredictionTable readPredictionsCsv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot open the predictions file");
  std::string line;
  if (!std::getline(in, line)) throw InputError(file.string(), "empty file");
  const auto header = csvSplitLine(line);
  int subjectCol = -1, labelCol = -1, sliceCol = -1, studyCol = -1;
  std::vector<int> probCols;
  PredictionTable table;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    const std::string& h = header[static_cast<std::size_t>(i)];
    if (h == "subject_id") subjectCol = i;
    else if (h == "label") labelCol = i;
    else if (h == "slice_index") sliceCol = i;
    else if (h == "study_label") studyCol = i;
    else if (h.rfind("p_", 0) == 0) {
      probCols.push_back(i);
      table.classes.push_back(h.substr(2));
    }
  }
  if (subjectCol < 0 || labelCol < 0) throw InputError(file.string(), "header needs subject_id and label columns");
  if (probCols.size() < 2) throw InputError(file.string(), "header needs at least two p_<class> columns");

  int lineNo = 1;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line == "\r") continue;
    const std::string where = file.string() + ":" + std::to_string(lineNo);
    const auto cells = csvSplitLine(line);
    if (cells.size() != header.size()) throw InputError(where, "expected " + std::to_string(header.size()) + " cells");
    Prediction p;
    p.subject_id = cells[static_cast<std::size_t>(subjectCol)];
    p.label = classIndex(table.classes, cells[static_cast<std::size_t>(labelCol)], where);
    for (int c : probCols) {
      const std::string& cell = cells[static_cast<std::size_t>(c)];
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || *end != '\0' || v < 0.0 || v > 1.0) throw InputError(where, "bad probability '" + cell + "'");
      p.probabilities.push_back(v);
    }
    if (sliceCol >= 0) {
      const std::string& cell = cells[static_cast<std::size_t>(sliceCol)];
      const auto index = parseStrictInt(cell, -1, 1000000);
      if (!index) throw InputError(where, "bad slice_index '" + cell + "'");
      p.slice_index = static_cast<int>(*index);
    }
    if (studyCol >= 0) p.study_label = cells[static_cast<std::size_t>(studyCol)];
    table.rows.push_back(std::move(p));
  }
  if (table.rows.empty()) throw InputError(file.string(), "no prediction rows");
  return table;
}

std::string toPredictionsCsv(const PredictionTable& table) {
  std::ostringstream out;
  out.precision(6);
  out << "subject_id,label";
  for (const auto& c : table.classes) out << ",p_" << c;
  out << ",slice_index,study_label\n";
  for (const auto& r : table.rows) {
    out << csvField(r.subject_id) << ',' << csvField(table.classes[static_cast<std::size_t>(r.label)]);
    for (double p : r.probabilities) out << ',' << p;
    out << ',' << r.slice_index << ',' << csvField(r.study_label) << '\n';
  }
  return out.str();
}

std::vector<Prediction> aggregateBySubject(const PredictionTable& slices, const StudyRule& rule,
                                           const std::string& normalClass) {
  std::map<std::string, std::vector<const Prediction*>> bySubject;
  for (const auto& r : slices.rows) bySubject[r.subject_id].push_back(&r);
  std::vector<Prediction> subjects;
  for (const auto& [id, rows] : bySubject) {
    Prediction s;
    s.subject_id = id;
    std::vector<std::vector<double>> probs;
    std::map<int, int> labelCounts;
    for (const auto* r : rows) {
      probs.push_back(r->probabilities);
      labelCounts[r->label]++;
      if (!r->study_label.empty()) s.study_label = r->study_label;
    }
    s.probabilities = rule(probs);
    if (!s.study_label.empty()) {
      s.label = classIndex(slices.classes, s.study_label, "subject " + id);
    } else {
      const auto normalIt = std::find(slices.classes.begin(), slices.classes.end(), normalClass);
      const int normal = normalIt == slices.classes.end() ? -1 : static_cast<int>(normalIt - slices.classes.begin());
      int best = normal, bestCount = 0;
      for (const auto& [label, count] : labelCounts) {
        if (label != normal && count > bestCount) best = label, bestCount = count;
      }
      s.label = best >= 0 ? best : labelCounts.begin()->first;
    }
    subjects.push_back(std::move(s));
  }
  return subjects;
}

}  // namespace lunglens::core::metrics
