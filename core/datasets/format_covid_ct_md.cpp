// covid-ct-md: DICOM cases in class folders + the slice-level label array and its index CSV (importer.h).
#include <algorithm>
#include <map>

#include "core/datasets/csv_table.h"
#include "core/datasets/dicom_series.h"
#include "core/datasets/importer.h"
#include "core/datasets/label_array.h"
#include "core/dicom/scan.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

namespace {

std::string classOfFolder(const std::string& name) {
  const std::string n = toLower(name);
  if (n.find("covid") != std::string::npos) return "covid";
  if (n.find("cap") != std::string::npos || n.find("pneumonia") != std::string::npos) return "other_pneumonia";
  if (n.find("normal") != std::string::npos) return "normal";
  return "";
}

fs::path firstFile(const fs::path& dir, const std::string& extension, const std::string& containing) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && toLower(e.path().extension().string()) == extension &&
        toLower(e.path().filename().string()).find(containing) != std::string::npos)
      found.push_back(e.path());
  std::sort(found.begin(), found.end());
  return found.empty() ? fs::path() : found.front();
}

struct Case {
  std::string cls;
  fs::path dir;
};

}  // namespace

void importCovidCtMd(const ImportOptions& o, CanonicalDataset& d, Problems& problems) {
  // Cases: SOURCE/<class>/<case>/.
  std::map<std::string, std::vector<Case>> cases;  // by case name (lower case)
  std::map<std::string, std::string> display;      // lower -> as named
  for (const auto& cls_dir : fs::directory_iterator(o.source)) {
    if (!cls_dir.is_directory()) continue;
    const std::string cls = classOfFolder(cls_dir.path().filename().string());
    if (cls.empty()) {
      d.notes.push_back("folder " + cls_dir.path().filename().string() + " names no class: left out");
      continue;
    }
    for (const auto& case_dir : fs::directory_iterator(cls_dir.path())) {
      if (!case_dir.is_directory()) continue;
      const std::string name = case_dir.path().filename().string();
      cases[toLower(name)].push_back({cls, case_dir.path()});
      display[toLower(name)] = name;
    }
  }
  if (cases.empty()) {
    problems.add(o.source.string(), "no case folders under class folders (COVID-19 Cases/, Cap Cases/, Normal Cases/)");
    return;
  }
  // The slice-level labels: array row r belongs to the case the index CSV's row r names.
  const fs::path array_file = !o.slice_labels.empty() ? o.slice_labels : firstFile(o.source, ".npy", "slice");
  const fs::path index_file = !o.labels.empty() ? o.labels : firstFile(o.source, ".csv", "index");
  std::map<std::string, std::vector<double>> slice_labels;  // by case name (lower case)
  if (array_file.empty() || index_file.empty()) {
    problems.add(o.source.string(), "slice-level label array (*slice*.npy, --slice-labels) or index CSV "
                                    "(*index*.csv, --labels) not found");
    return;
  }
  const auto array = readLabelArray(array_file);
  const CsvTable index = CsvTable::read(index_file);
  const auto c_case =
      index.column({"folder/id", "folder", "case", "patient", "patient_id", "name", "folder name", "case name"});
  // COVID-CT-MD's index names each case's array row in 'Label Index'; its numbering skips a value (42 to 44), so
  // rows are the indices' ranks. Without that column, index row r is array row r.
  const auto c_row = index.column({"label index", "label_index", "row"});
  std::vector<std::size_t> array_row(index.rows().size());
  for (std::size_t r = 0; r < array_row.size(); ++r) array_row[r] = r;
  if (c_row) {
    std::vector<std::pair<long, std::size_t>> ranked;
    for (std::size_t r = 0; r < index.rows().size(); ++r) {
      try {
        ranked.emplace_back(std::stol(index.rows()[r].fields[*c_row]), r);
      } catch (const std::exception&) {
        problems.add(index.where(index.rows()[r]), "label index '" + index.rows()[r].fields[*c_row] +
                                                       "' is not a number");
        return;
      }
    }
    std::sort(ranked.begin(), ranked.end());
    for (std::size_t k = 0; k < ranked.size(); ++k) array_row[ranked[k].second] = k;
  }
  if (!c_case) {
    problems.add(index_file.string() + ":1", "no column naming the case folder (folder, case, patient, name)");
    return;
  }
  if (index.rows().size() != array.size())
    problems.add(index_file.string(), std::to_string(index.rows().size()) + " rows, but " + array_file.string() +
                                          " has " + std::to_string(array.size()));
  for (std::size_t r = 0; r < index.rows().size(); ++r) {
    const CsvRow& row = index.rows()[r];
    if (array_row[r] >= array.size()) continue;  // reported above
    const std::string name = toLower(row.fields[*c_case]);
    if (!cases.count(name)) {
      problems.add(index.where(row), "case folder '" + row.fields[*c_case] + "' not found under the class folders");
      continue;
    }
    if (!slice_labels.emplace(name, array[array_row[r]]).second) problems.add(index.where(row), "case listed twice");
  }

  int left_out = 0;
  dicom::ScanOptions scan_options;
  scan_options.threads = o.threads;
  for (const auto& [name, list] : cases) {
    if (list.size() > 1) {  // one case filed under two classes: a contradiction and a leak across splits
      std::string classes;
      for (const Case& c : list) classes += (classes.empty() ? "" : " and ") + c.cls;
      problems.add("subject '" + display[name] + "'", "in two classes (" + classes + ")");
      continue;
    }
    for (const Case& c : list) {
      CanonicalSubject subject;
      subject.id = display[name];
      subject.label = c.cls;
      const auto labels = slice_labels.find(name);
      if (c.cls != "normal" && labels == slice_labels.end()) {
        ++left_out;
        continue;
      }
      const dicom::Catalog catalog = dicom::scan(c.dir, scan_options);
      if (catalog.series.empty()) {
        problems.add(c.dir.string(), "no DICOM image series");
        continue;
      }
      // One scan per case; extra series (scouts, other reconstructions) are left out.
      const auto largest = std::max_element(catalog.series.begin(), catalog.series.end(), [](const auto& a, const auto& b) {
        return a.slices.size() < b.slices.size();
      });
      if (catalog.series.size() > 1)
        d.notes.push_back(c.dir.string() + ": " + std::to_string(catalog.series.size() - 1) +
                          " smaller series left out");
      CanonicalSeries series = canonicalSeries(*largest, o.source, o.allow_uneven_spacing, problems, d.notes);
      // Array column k is the case's k-th DICOM file in file-name order (as the dataset's users read it, e.g.
      // COVIDx CT's builder); the series itself is kept in spatial order.
      std::vector<std::size_t> by_instance(series.slices.size());
      for (std::size_t i = 0; i < by_instance.size(); ++i) by_instance[i] = i;
      std::stable_sort(by_instance.begin(), by_instance.end(), [&](std::size_t a, std::size_t b) {
        return series.slices[a].file < series.slices[b].file;
      });
      for (std::size_t k = 0; k < by_instance.size(); ++k) {
        CanonicalSlice& sl = series.slices[by_instance[k]];
        const bool infected = labels != slice_labels.end() && k < labels->second.size() && labels->second[k] > 0.5;
        sl.label = infected ? c.cls : "normal";
      }
      if (labels != slice_labels.end()) {
        for (std::size_t k = by_instance.size(); k < labels->second.size(); ++k)
          if (labels->second[k] > 0.5) {
            problems.add(array_file.string() + " row of " + subject.id,
                         "marks slice " + std::to_string(k + 1) + " but the case has " +
                             std::to_string(by_instance.size()) + " slices");
            break;
          }
        if (c.cls == "normal" && std::any_of(labels->second.begin(), labels->second.end(), [](double v) { return v > 0.5; }))
          problems.add(array_file.string() + " row of " + subject.id, "marks infected slices in a normal case");
      }
      subject.series.push_back(std::move(series));
      d.subjects.push_back(std::move(subject));
    }
  }
  if (left_out > 0)
    d.notes.push_back(std::to_string(left_out) + " COVID-19/CAP cases without slice-level labels: left out");
}

}  // namespace lunglens::core::datasets
