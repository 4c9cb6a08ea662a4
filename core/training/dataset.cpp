#include "core/training/dataset.h"

#include <QImage>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "core/common/csv.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/io/nifti_slice.h"

namespace lunglens::core::training {

namespace fs = std::filesystem;

namespace {


struct CsvTable {
  std::map<std::string, size_t> column;
  std::vector<std::pair<int, std::vector<std::string>>> rows;  // (line number, fields)
};

CsvTable readCsv(const fs::path& file, const std::vector<std::string>& required) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot open the CSV file");
  CsvTable table;
  std::string line;
  if (!std::getline(in, line)) throw InputError(file.string(), "is empty (a header line is required)");
  const auto header = csvSplitLine(line);
  for (size_t i = 0; i < header.size(); ++i) table.column[header[i]] = i;
  for (const auto& name : required)
    if (!table.column.count(name)) throw InputError(file.string(), "header lacks column '" + name + "'");
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    auto fields = csvSplitLine(line);
    if (fields.size() != header.size())
      throw InputError(file.string() + ":" + std::to_string(number),
                       "has " + std::to_string(fields.size()) + " fields, the header " + std::to_string(header.size()));
    table.rows.emplace_back(number, std::move(fields));
  }
  return table;
}

int classIndex(const std::vector<std::string>& classes, const std::string& label, const std::string& where) {
  const auto it = std::find(classes.begin(), classes.end(), label);
  if (it == classes.end()) throw InputError(where, "unknown label '" + label + "'");
  return static_cast<int>(it - classes.begin());
}

double number(const std::string& text, const std::string& where) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw InputError(where, "'" + text + "' is not a number");
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Dataset::subjectLabels() const {
  return {subject_labels.begin(), subject_labels.end()};
}

Dataset Dataset::subset(const std::vector<std::string>& subject_ids) const {
  const std::set<std::string> keep(subject_ids.begin(), subject_ids.end());
  Dataset out;
  out.classes = classes;
  out.min_finding_area_mm2 = min_finding_area_mm2;
  for (const auto& s : samples)
    if (keep.count(s.subject_id)) out.samples.push_back(s);
  for (const auto& s : trace_samples)
    if (keep.count(s.subject_id)) out.trace_samples.push_back(s);
  for (const auto& [id, label] : subject_labels)
    if (keep.count(id)) out.subject_labels[id] = label;
  return out;
}

std::vector<int> Dataset::classCounts() const {
  std::vector<int> counts(classes.size(), 0);
  for (const auto& s : samples) ++counts.at(static_cast<size_t>(s.label));
  return counts;
}

Dataset readPhantomSet(const fs::path& labels_csv, inference::Task task, double min_finding_area_mm2) {
  const CsvTable table = readCsv(labels_csv, {"subject_id", "slice_file", "study_label", "slice_label", "ggo_fraction",
                                              "consolidation_fraction", "fibrotic_streaks_fraction"});
  const fs::path root = labels_csv.parent_path();
  Dataset data;
  data.classes = inference::taskClasses(task);
  auto col = [&](const std::vector<std::string>& row, const char* name) { return row[table.column.at(name)]; };
  const bool filter_traces = min_finding_area_mm2 > 0.0;
  data.min_finding_area_mm2 = std::max(0.0, min_finding_area_mm2);
  if (filter_traces && !table.column.count("involved_area_mm2"))
    throw InputError(labels_csv.string(), "has no involved_area_mm2 column, needed to leave out trace findings "
                                          "(regenerate the set with this version's phantom-set)");
  for (const auto& [line, row] : table.rows) {
    const std::string where = labels_csv.string() + ":" + std::to_string(line);
    const bool trace = filter_traces && col(row, "slice_label") != "normal" &&
                       number(col(row, "involved_area_mm2"), where) < min_finding_area_mm2;
    SliceSample sample;
    sample.subject_id = col(row, "subject_id");
    sample.file = root / col(row, "slice_file");
    if (table.column.count("slice_index")) sample.slice_index = static_cast<int>(number(col(row, "slice_index"), where));
    if (task == inference::Task::Diagnosis) {
      sample.label = classIndex(data.classes, col(row, "slice_label"), where);
    } else {
      if (col(row, "slice_label") != "covid") continue;
      const double fractions[3] = {number(col(row, "ggo_fraction"), where),
                                   number(col(row, "consolidation_fraction"), where),
                                   number(col(row, "fibrotic_streaks_fraction"), where)};
      const auto largest = std::max_element(std::begin(fractions), std::end(fractions));
      if (*largest <= 0.0) continue;
      sample.label = static_cast<int>(largest - std::begin(fractions));  // ggo, consolidation, fibrotic_streaks
    }
    if (!fs::exists(sample.file)) throw InputError(where, "slice file " + sample.file.string() + " does not exist");
    data.subject_labels.emplace(sample.subject_id, col(row, "study_label"));
    (trace ? data.trace_samples : data.samples).push_back(std::move(sample));
  }
  if (data.samples.empty()) throw InputError(labels_csv.string(), "has no usable slices for this task");
  return data;
}

Dataset readImageCsv(const fs::path& csv, std::vector<std::string> classes) {
  const CsvTable table = readCsv(csv, {"path", "subject_id", "label"});
  if (classes.empty()) {
    std::set<std::string> labels;
    for (const auto& [line, row] : table.rows) labels.insert(row[table.column.at("label")]);
    classes.assign(labels.begin(), labels.end());
  }
  Dataset data;
  data.classes = classes;
  std::map<std::string, std::vector<int>> votes;
  for (const auto& [line, row] : table.rows) {
    const std::string where = csv.string() + ":" + std::to_string(line);
    SliceSample sample;
    sample.subject_id = row[table.column.at("subject_id")];
    if (sample.subject_id.empty()) throw InputError(where, "empty subject_id");
    sample.label = classIndex(classes, row[table.column.at("label")], where);
    const fs::path path = row[table.column.at("path")];
    sample.file = path.is_absolute() ? path : csv.parent_path() / path;
    if (!fs::exists(sample.file)) throw InputError(where, "image " + sample.file.string() + " does not exist");
    auto& v = votes[sample.subject_id];
    v.resize(classes.size(), 0);
    ++v[static_cast<size_t>(sample.label)];
    data.samples.push_back(std::move(sample));
  }
  if (data.samples.empty()) throw InputError(csv.string(), "lists no images");
  for (const auto& [id, v] : votes)
    data.subject_labels[id] = classes[static_cast<size_t>(std::max_element(v.begin(), v.end()) - v.begin())];
  return data;
}

HuSlice loadHu(const SliceSample& sample) {
  const std::string ext = sample.file.extension().string();
  HuSlice slice;
  if (ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".PNG" || ext == ".JPG" || ext == ".JPEG") {
    QImage image(QString::fromStdString(sample.file.string()));
    if (image.isNull()) throw InputError(sample.file.string(), "cannot read the image");
    image = image.convertToFormat(QImage::Format_Grayscale8);
    slice.rows = image.height();
    slice.cols = image.width();
    slice.hu.resize(static_cast<size_t>(slice.rows) * slice.cols);
    for (int y = 0; y < slice.rows; ++y) {
      const uchar* line = image.constScanLine(y);
      for (int x = 0; x < slice.cols; ++x)
        slice.hu[static_cast<size_t>(y) * slice.cols + x] =
            static_cast<std::int16_t>(std::lround(-1350.0 + line[x] * 1500.0 / 255.0));
    }
    return slice;
  }
  if (sample.frame >= 0) {
    // Public sets keep whole volumes in one (often gzipped) file: keep the last one per thread.
    thread_local fs::path last_path;
    thread_local std::shared_ptr<const io::NiftiVolume> last;
    if (!last || last_path != sample.file) {
      last.reset();
      last = std::make_shared<const io::NiftiVolume>(io::readNifti(sample.file));
      last_path = sample.file;
    }
    const io::SliceLayout layout = io::sliceLayout(*last);
    if (sample.frame >= last->dims[2])
      throw InputError(sample.file.string(), "has no slice " + std::to_string(sample.frame));
    slice.rows = layout.rows;
    slice.cols = layout.cols;
    slice.hu = io::niftiSlice(*last, sample.frame, layout);
    return slice;
  }
  const dicom::Catalog catalog = dicom::scan(sample.file);
  if (catalog.series.empty() || catalog.series.front().slices.empty())
    throw InputError(sample.file.string(),
                     catalog.skipped.empty() ? "not a DICOM image" : catalog.skipped.front().reason);
  const dicom::SeriesInfo& series = catalog.series.front();
  slice.rows = series.rows;
  slice.cols = series.cols;
  slice.hu = dicom::loadSlice(series, 0);
  return slice;
}

LoadedSlices loadAll(const Dataset& data) {
  LoadedSlices out;
  out.num_classes = static_cast<int>(data.classes.size());
  for (const auto& sample : data.samples) {
    out.slices.push_back(loadHu(sample));
    out.labels.push_back(sample.label);
  }
  return out;
}

}  // namespace lunglens::core::training
