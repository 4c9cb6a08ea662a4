// dicom-labels: DICOM series + a labels CSV at subject, series or slice level (importer.h, formats()).
#include <map>
#include <set>

#include "core/datasets/csv_table.h"
#include "core/datasets/dicom_series.h"
#include "core/datasets/importer.h"
#include "core/dicom/scan.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

namespace {

struct Rule {
  std::string label, where;
};

// Keyed rules: a later row for the same key with another label is a contradiction.
void addRule(std::map<std::string, Rule>& rules, const std::string& key, const Rule& rule, Problems& problems) {
  const auto [it, fresh] = rules.emplace(key, rule);
  if (!fresh && it->second.label != rule.label)
    problems.add(rule.where, "labels " + rule.label + " where " + it->second.where + " said " + it->second.label);
}

}  // namespace

void importDicomLabels(const ImportOptions& o, CanonicalDataset& d, Problems& problems) {
  const fs::path csv = o.labels.empty() ? o.source / "labels.csv" : o.labels;
  if (!fs::is_regular_file(csv)) {
    problems.add(csv.string(), "labels CSV not found (--labels FILE)");
    return;
  }
  const CsvTable table = CsvTable::read(csv);
  const auto c_subject = table.column({"subject_id", "patient_id", "subject"});
  const auto c_label = table.column({"label", "class", "diagnosis"});
  const auto c_series = table.column({"series_uid", "series_instance_uid", "seriesinstanceuid"});
  const auto c_sop = table.column({"sop_instance_uid", "sopinstanceuid"});
  const auto c_instance = table.column({"instance_number", "instancenumber"});
  if (!c_subject || !c_label) {
    problems.add(csv.string() + ":1", "header needs subject_id and label columns");
    return;
  }
  if (o.progress) o.progress("scanning DICOM under " + o.source.string());
  dicom::ScanOptions scan_options;
  scan_options.threads = o.threads;
  const dicom::Catalog catalog = dicom::scan(o.source, scan_options);

  // Series by subject (PatientID).
  std::map<std::string, std::vector<const dicom::SeriesInfo*>> by_subject;
  for (const auto& s : catalog.series) {
    if (s.patient_id.empty()) {
      d.notes.push_back("series " + s.series_uid + " has no PatientID: left out");
      continue;
    }
    by_subject[s.patient_id].push_back(&s);
  }
  std::map<std::string, Rule> subject_rules, series_rules, slice_rules;  // slice key: series|sop or series|#n
  for (const auto& row : table.rows()) {
    const std::string where = table.where(row);
    const std::string subject = row.fields[*c_subject];
    const std::string label = canonicalLabel(row.fields[*c_label]);
    if (subject.empty()) problems.add(where, "empty subject_id");
    if (label.empty()) problems.add(where, "unknown label '" + row.fields[*c_label] + "'");
    const auto it = by_subject.find(subject);
    if (!subject.empty() && it == by_subject.end()) {
      problems.add(where, "no DICOM series with PatientID '" + subject + "' under " + o.source.string());
      continue;
    }
    if (subject.empty() || label.empty()) continue;
    const std::string series = c_series ? row.fields[*c_series] : "";
    const std::string sop = c_sop ? row.fields[*c_sop] : "";
    const std::string instance = c_instance ? row.fields[*c_instance] : "";
    const Rule rule{label, where};
    if (series.empty() && (!sop.empty() || !instance.empty()) && it->second.size() > 1 && sop.empty()) {
      problems.add(where, "instance_number needs series_uid: subject '" + subject + "' has " +
                              std::to_string(it->second.size()) + " series");
      continue;
    }
    const dicom::SeriesInfo* target = nullptr;
    if (!series.empty()) {
      for (const auto* s : it->second)
        if (s->series_uid == series) target = s;
      if (!target) {
        problems.add(where, "subject '" + subject + "' has no series " + series);
        continue;
      }
    }
    if (sop.empty() && instance.empty()) {
      if (target) addRule(series_rules, target->series_uid, rule, problems);
      else addRule(subject_rules, subject, rule, problems);
      continue;
    }
    // Slice level: find the slice in the named series, or in any of the subject's series by SOPInstanceUID.
    bool found = false;
    for (const auto* s : it->second) {
      if (target && s != target) continue;
      for (const auto& ref : s->slices) {
        if (!sop.empty() ? ref.sop_instance_uid == sop : std::to_string(ref.instance_number) == instance) {
          addRule(slice_rules, s->series_uid + "|" + ref.sop_instance_uid, rule, problems);
          found = true;
        }
      }
    }
    if (!found) problems.add(where, "no slice " + (!sop.empty() ? "with SOPInstanceUID " + sop : "#" + instance) +
                                        " in subject '" + subject + "'");
  }

  std::size_t unlabelled = 0;
  for (const auto& [subject, series_list] : by_subject) {
    CanonicalSubject out;
    out.id = subject;
    const auto subject_rule = subject_rules.find(subject);
    std::set<std::string> classes;
    for (const auto* info : series_list) {
      CanonicalSeries series = canonicalSeries(*info, o.source, o.allow_uneven_spacing, problems, d.notes);
      const auto series_rule = series_rules.find(info->series_uid);
      std::vector<CanonicalSlice> kept;
      for (auto& sl : series.slices) {
        const auto slice_rule = slice_rules.find(info->series_uid + "|" + sl.sop_instance_uid);
        if (slice_rule != slice_rules.end()) sl.label = slice_rule->second.label;
        else if (series_rule != series_rules.end()) sl.label = series_rule->second.label;
        else if (subject_rule != subject_rules.end()) sl.label = subject_rule->second.label;
        if (sl.label.empty()) {
          ++unlabelled;
          continue;
        }
        if (sl.label != "normal") classes.insert(sl.label);
        kept.push_back(std::move(sl));
      }
      series.slices = std::move(kept);
      if (!series.slices.empty()) out.series.push_back(std::move(series));
    }
    if (out.series.empty()) continue;
    if (classes.size() > 1) {
      problems.add("subject '" + subject + "'", "in two classes (covid and other_pneumonia slices)");
      continue;
    }
    out.label = subject_rule != subject_rules.end() && subject_rule->second.label != "normal"
                    ? subject_rule->second.label
                    : (classes.empty() ? "normal" : *classes.begin());
    if (subject_rule != subject_rules.end() && subject_rule->second.label == "normal" && !classes.empty()) {
      problems.add(subject_rule->second.where, "subject labelled normal but its slices are labelled " +
                                                   *classes.begin());
      continue;
    }
    d.subjects.push_back(std::move(out));
  }
  if (unlabelled > 0)
    d.notes.push_back(std::to_string(unlabelled) + " slices no label row reaches: left out");
  if (!catalog.skipped.empty())
    d.notes.push_back(std::to_string(catalog.skipped.size()) + " files under the source are not image slices: left out");
}

}  // namespace lunglens::core::datasets
