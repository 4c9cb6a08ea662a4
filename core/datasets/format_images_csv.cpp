// images-csv: path,subject_id,label CSV of 8-bit lung-window images (importer.h).
#include <map>
#include <set>

#include "core/datasets/csv_table.h"
#include "core/datasets/importer.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

void importImagesCsv(const ImportOptions& o, CanonicalDataset& d, Problems& problems) {
  const fs::path csv = o.labels.empty() ? o.source / "labels.csv" : o.labels;
  if (!fs::is_regular_file(csv)) {
    problems.add(csv.string(), "CSV not found (--labels FILE.csv)");
    return;
  }
  const CsvTable table = CsvTable::read(csv);
  const auto c_path = table.column({"path"});
  const auto c_subject = table.column({"subject_id"});
  const auto c_label = table.column({"label"});
  if (!c_path || !c_subject || !c_label) {
    problems.add(csv.string() + ":1", "header must have path,subject_id,label");
    return;
  }
  std::map<std::string, CanonicalSubject> subjects;
  std::map<std::string, std::set<std::string>> diseases;
  for (const auto& row : table.rows()) {
    const std::string where = table.where(row);
    const std::string subject = row.fields[*c_subject];
    const std::string label = canonicalLabel(row.fields[*c_label]);
    const fs::path path = row.fields[*c_path];
    const fs::path file = path.is_absolute() ? path : csv.parent_path() / path;
    bool ok = true;
    if (subject.empty()) problems.add(where, "empty subject_id"), ok = false;
    if (label.empty()) problems.add(where, "unknown label '" + row.fields[*c_label] + "'"), ok = false;
    if (!fs::is_regular_file(file)) problems.add(where, "image " + file.string() + " does not exist"), ok = false;
    if (!ok) continue;
    CanonicalSubject& s = subjects[subject];
    s.id = subject;
    if (s.series.empty()) s.series.push_back({"images", relativeTo(csv.parent_path(), o.source), 0, 0, {0, 0, 0}, {}});
    CanonicalSlice sl;
    sl.file = relativeTo(fs::absolute(file), fs::absolute(o.source));
    sl.label = label;
    sl.instance_number = static_cast<int>(s.series.front().slices.size()) + 1;
    s.series.front().slices.push_back(std::move(sl));
    if (label != "normal") diseases[subject].insert(label);
  }
  for (auto& [id, s] : subjects) {
    const auto& d_set = diseases[id];
    if (d_set.size() > 1) {
      problems.add(csv.string(), "subject '" + id + "' in two classes (covid and other_pneumonia rows)");
      continue;
    }
    s.label = d_set.empty() ? "normal" : *d_set.begin();
    d.subjects.push_back(std::move(s));
  }
}

}  // namespace lunglens::core::datasets
