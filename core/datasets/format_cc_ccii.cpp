// cc-ccii: class / patient / scan / slice image folders, with the lesion-segmentation subset when present
// (importer.h).
#include <QImage>
#include <algorithm>
#include <cctype>
#include <map>

#include "core/datasets/csv_table.h"
#include "core/datasets/importer.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;

namespace {

bool isImage(const fs::path& p) {
  const std::string ext = toLower(p.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

// "2.png" before "10.png": digit runs compared as numbers.
bool naturalLess(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const std::string na = a.substr(i, ie - i), nb = b.substr(j, je - j);
      const std::string ta = na.substr(std::min(na.find_first_not_of('0'), na.size()));
      const std::string tb = nb.substr(std::min(nb.find_first_not_of('0'), nb.size()));
      if (ta.size() != tb.size()) return ta.size() < tb.size();
      if (ta != tb) return ta < tb;
      i = ie, j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<fs::path> sortedEntries(const fs::path& dir, bool dirs) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (dirs ? e.is_directory() : (e.is_regular_file() && isImage(e.path()))) out.push_back(e.path());
  std::sort(out.begin(), out.end(),
            [](const fs::path& a, const fs::path& b) { return naturalLess(a.filename().string(), b.filename().string()); });
  return out;
}

std::string classOfFolder(const std::string& name) {
  const std::string n = toLower(name);
  if (n == "ncp") return "covid";
  if (n == "cp") return "other_pneumonia";
  if (n == "normal") return "normal";
  return "";
}

// Pixel values of a mask image: palette index for indexed PNGs, else the grey level.
std::vector<std::uint8_t> maskValues(const fs::path& file, int& rows, int& cols) {
  QImage image(QString::fromStdString(file.string()));
  if (image.isNull()) return {};
  rows = image.height(), cols = image.width();
  std::vector<std::uint8_t> v(static_cast<std::size_t>(rows) * cols);
  const bool indexed = image.format() == QImage::Format_Indexed8;
  if (!indexed) image = image.convertToFormat(QImage::Format_Grayscale8);
  for (int y = 0; y < rows; ++y) {
    const uchar* line = image.constScanLine(y);
    std::copy(line, line + cols, v.begin() + static_cast<std::ptrdiff_t>(y) * cols);
  }
  return v;
}

CanonicalSeries scanSeries(const fs::path& scan_dir, const fs::path& root, const std::string& uid) {
  CanonicalSeries s;
  s.uid = uid;
  s.path = relativeTo(scan_dir, root);
  int position = 0;
  for (const auto& file : sortedEntries(scan_dir, false)) {
    CanonicalSlice sl;
    sl.file = relativeTo(file, root);
    sl.instance_number = ++position;
    s.slices.push_back(std::move(sl));
  }
  return s;
}

}  // namespace

void importCcCcii(const ImportOptions& o, CanonicalDataset& d, Problems& problems) {
  std::map<std::string, CanonicalSubject> subjects;  // key: class|patient (a patient in two classes stays two)
  for (const auto& cls_dir : sortedEntries(o.source, true)) {
    const std::string folder = cls_dir.filename().string();
    if (toLower(folder) == "ct_lesion_seg") continue;
    const std::string cls = classOfFolder(folder);
    if (cls.empty()) {
      d.notes.push_back("folder " + folder + " is not NCP, CP or Normal: left out");
      continue;
    }
    for (const auto& patient_dir : sortedEntries(cls_dir, true)) {
      CanonicalSubject& subject = subjects[cls + "|" + patient_dir.filename().string()];
      subject.id = patient_dir.filename().string();
      subject.label = cls;
      for (const auto& scan_dir : sortedEntries(patient_dir, true)) {
        CanonicalSeries s = scanSeries(scan_dir, o.source, subject.id + "/" + scan_dir.filename().string());
        if (s.slices.empty()) {
          problems.add(scan_dir.string(), "scan folder without PNG/JPEG slices");
          continue;
        }
        for (auto& sl : s.slices) sl.label = cls;
        subject.series.push_back(std::move(s));
      }
      if (subject.series.empty()) problems.add(patient_dir.string(), "patient folder without scan folders");
    }
  }

  // The lesion-segmentation subset: slice labels and manifestation fractions from the masks.
  const fs::path seg = o.source / "ct_lesion_seg";
  if (fs::is_directory(seg / "image") && fs::is_directory(seg / "mask")) {
    int masked = 0;
    for (const auto& patient_dir : sortedEntries(seg / "image", true)) {
      const std::string patient = patient_dir.filename().string();
      // Its class: as in the class folders when it is there, else NCP (the subset's lesions are COVID-19's).
      std::string cls = "covid";
      for (const auto& [key, s] : subjects)
        if (s.id == patient) cls = s.label;
      CanonicalSubject& subject = subjects[cls + "|" + patient];
      subject.id = patient;
      subject.label = cls;
      for (const auto& scan_dir : sortedEntries(patient_dir, true)) {
        const std::string uid = patient + "/" + scan_dir.filename().string();
        CanonicalSeries s = scanSeries(scan_dir, o.source, uid);
        for (auto& sl : s.slices) {
          const fs::path image = o.source / sl.file;
          fs::path mask = seg / "mask" / patient / scan_dir.filename() / image.filename();
          if (!fs::exists(mask)) mask.replace_extension(".png");
          int rows = 0, cols = 0, mrows = 0, mcols = 0;
          const QImage header(QString::fromStdString(image.string()));
          rows = header.height(), cols = header.width();
          const auto values = fs::exists(mask) ? maskValues(mask, mrows, mcols) : std::vector<std::uint8_t>{};
          if (values.empty()) {
            problems.add(image.string(), "no readable mask " + mask.string());
            continue;
          }
          if (mrows != rows || mcols != cols) {
            problems.add(mask.string(), "mask is " + std::to_string(mcols) + "x" + std::to_string(mrows) +
                                            ", its image " + std::to_string(cols) + "x" + std::to_string(rows));
            continue;
          }
          std::size_t ggo = 0, consolidation = 0;
          for (std::uint8_t v : values) ggo += v == 2, consolidation += v == 3;
          const std::size_t lesion = ggo + consolidation;
          sl.label = lesion >= static_cast<std::size_t>(std::max(1, o.min_finding_pixels)) ? cls : "normal";
          sl.manifestation = std::array<double, 3>{lesion ? static_cast<double>(ggo) / lesion : 0.0,
                                                   lesion ? static_cast<double>(consolidation) / lesion : 0.0, 0.0};
          ++masked;
        }
        // The subset's scan replaces the same scan from the class folders.
        auto& list = subject.series;
        list.erase(std::remove_if(list.begin(), list.end(), [&](const CanonicalSeries& x) { return x.uid == uid; }),
                   list.end());
        if (!s.slices.empty()) list.push_back(std::move(s));
      }
    }
    d.notes.push_back(std::to_string(masked) + " slices labelled from the lesion-segmentation masks");
  }
  for (auto& [key, subject] : subjects)
    if (!subject.series.empty()) d.subjects.push_back(std::move(subject));
  if (d.subjects.empty()) problems.add(o.source.string(), "no NCP/, CP/ or Normal/ patient folders");
}

}  // namespace lunglens::core::datasets
