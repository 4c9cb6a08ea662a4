#include "tests/datasets/fixtures.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/dicom/scan.h"
#include "core/io/nifti.h"
#include "core/io/png.h"
#include "core/phantom/phantom_set.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"

namespace lunglens::test::datasets {

namespace fs = std::filesystem;
namespace ph = core::phantom;

namespace {

void writeText(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

void copyDicom(const FixtureSubject& s, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(s.study / ph::kSeriesFolder)) fs::copy_file(e.path(), to / e.path().filename());
}

std::string labelOf(ph::Diagnosis d) { return ph::diagnosisName(d); }

// The io writers want the folder to exist.
void png(const fs::path& file, const std::vector<std::uint8_t>& grey) {
  fs::create_directories(file.parent_path());
  core::io::writeGreyPng(file, kSize, kSize, grey);
}

void nifti(const fs::path& file, const core::io::NiftiVolume& volume) {
  fs::create_directories(file.parent_path());
  core::io::writeNifti(file, volume, 1);
}

}  // namespace

fs::path fixtureRoot() {
  static const fs::path root = test::suiteScratchDir("datasets-fixtures");
  return root;
}

const std::vector<FixtureSubject>& phantomSubjects() {
  static const std::vector<FixtureSubject> subjects = [] {
    std::vector<FixtureSubject> out;
    ph::PhantomSetOptions set;
    set.slices = kSlices;
    set.size = kSize;
    set.seed = 11;
    set.threads = 1;
    for (int i = 0; i < 7; ++i) {
      FixtureSubject s;
      ph::PhantomParams params = ph::phantomSetSubject(set, i);
      params.severity = 0.4;  // lesions on most slices of 8
      s.id = ph::phantomSetSubjectId(i);
      s.label = labelOf(params.diagnosis);
      s.phantom = ph::generatePhantom(params);
      s.study = fixtureRoot() / "studies" / s.id;
      ph::writePhantomStudy(s.phantom, s.study, 1);
      const core::dicom::Catalog catalog = core::dicom::scan(s.study / ph::kSeriesFolder);
      const auto& series = catalog.series.at(0);
      s.patient_id = series.patient_id;
      s.series_uid = series.series_uid;
      for (const auto& ref : series.slices) s.sop_uids.push_back(ref.sop_instance_uid);
      for (const auto& t : s.phantom.slices) s.slice_labels.push_back(labelOf(t.label));
      out.push_back(std::move(s));
    }
    return out;
  }();
  return subjects;
}

std::vector<std::uint8_t> lungWindow(const FixtureSubject& s, int k) {
  const auto& v = *s.phantom.volume;
  const int n = v.geometry().rows * v.geometry().cols;
  std::vector<std::uint8_t> grey(static_cast<std::size_t>(n));
  const std::int16_t* hu = v.slice(k);
  for (int i = 0; i < n; ++i)
    grey[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(std::lround(std::clamp((hu[i] + 1350.0) / 1500.0, 0.0, 1.0) * 255.0));
  return grey;
}

bool hasCovidLesion(const FixtureSubject& s, int k, bool include_fibrotic) {
  const std::size_t plane = static_cast<std::size_t>(kSize) * kSize;
  for (std::size_t i = 0; i < plane; ++i) {
    const int id = s.phantom.labels[static_cast<std::size_t>(k) * plane + i];
    if (id >= 2 && id <= (include_fibrotic ? 5 : 4)) return true;
  }
  return false;
}

fs::path writeDicomLabels(const fs::path& root) {
  // DICOM in nested folders; labels at three levels: slice by SOPInstanceUID (covid subjects), series + slice by
  // InstanceNumber (other pneumonia: the series label, normal slices named), subject (normal subjects).
  std::ostringstream csv;
  csv << "subject_id,label,series_uid,sop_instance_uid,instance_number\n";
  for (const auto& s : phantomSubjects()) {
    copyDicom(s, root / "archive" / (s.id + "_scan") / "CT");
    if (s.label == "covid") {
      for (int k = 0; k < kSlices; ++k)
        csv << s.patient_id << "," << (s.slice_labels[k] == "covid" ? "COVID-19" : "normal") << ",,"
            << s.sop_uids[k] << ",\n";
    } else if (s.label == "other_pneumonia") {
      csv << s.patient_id << ",CAP," << s.series_uid << ",,\n";
      for (int k = 0; k < kSlices; ++k)
        if (s.slice_labels[k] == "normal") csv << s.patient_id << ",normal," << s.series_uid << ",," << k + 1 << "\n";
    } else {
      csv << s.patient_id << ",Normal,,,\n";
    }
  }
  writeText(root / "labels.csv", csv.str());
  return root;
}

fs::path writeCovidCtMd(const fs::path& root) {
  std::ostringstream index, array;
  index << "Folder/ID,Diagnosis,Label Index\n";
  const char* folders[] = {"COVID-19 Cases", "Cap Cases", "Normal Cases"};
  int rows = 0;
  std::vector<std::string> index_rows;
  for (const auto& s : phantomSubjects()) {
    const int c = s.label == "covid" ? 0 : s.label == "other_pneumonia" ? 1 : 2;
    copyDicom(s, root / folders[c] / s.id);
    if (c == 2) continue;  // normal cases have no slice-level row
    // Label Index with a gap in its numbering (as the real index jumps from 42 to 44), rows listed in reverse.
    index_rows.push_back(s.id + "," + folders[c] + "," + std::to_string(rows < 2 ? rows : rows + 1) + "\n");
    ++rows;
  }
  for (auto it = index_rows.rbegin(); it != index_rows.rend(); ++it) index << *it;
  // The label array: one row per indexed case, slices in InstanceNumber order, padded to the longest case.
  std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                       std::to_string(kSlices + 2) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string npy = "\x93NUMPY";
  npy += '\x01';
  npy += '\x00';
  npy += static_cast<char>(header.size() & 0xFF);
  npy += static_cast<char>(header.size() >> 8);
  npy += header;
  for (const auto& s : phantomSubjects()) {
    if (s.label == "normal") continue;
    for (int k = 0; k < kSlices + 2; ++k) npy += static_cast<char>(k < kSlices && s.slice_labels[k] == s.label ? 1 : 0);
  }
  std::ofstream(root / "Slice-level-labels.npy", std::ios::binary) << npy;
  writeText(root / "Index.csv", index.str());
  return root;
}

fs::path writeCcCcii(const fs::path& root) {
  int covid_seen = 0;
  for (const auto& s : phantomSubjects()) {
    const std::string cls = s.label == "covid" ? "NCP" : s.label == "other_pneumonia" ? "CP" : "Normal";
    const bool seg = s.label == "covid" && ++covid_seen == 2;
    for (int k = 0; k < kSlices; ++k) {
      const std::string name = std::to_string(k * 5) + ".png";  // 0, 5, 10, ...: natural order differs from text
      png(root / cls / s.id / "3001" / name, lungWindow(s, k));
      if (!seg) continue;
      png(root / "ct_lesion_seg" / "image" / s.id / "3001" / name, lungWindow(s, k));
      std::vector<std::uint8_t> mask(static_cast<std::size_t>(kSize) * kSize);
      for (std::size_t i = 0; i < mask.size(); ++i) {
        const int id = s.phantom.labels[static_cast<std::size_t>(k) * mask.size() + i];
        mask[i] = id == 2 || id == 3 ? 2 : id == 4 ? 3 : id >= 1 ? 1 : 0;  // 1 lung field, 2 GGO, 3 consolidation
      }
      png(root / "ct_lesion_seg" / "mask" / s.id / "3001" / name, mask);
    }
  }
  return root;
}

fs::path writeNiftiMasks(const fs::path& root) {
  int covid_seen = 0;
  for (const auto& s : phantomSubjects()) {
    if (s.label != "covid") continue;
    const bool mirrored = ++covid_seen == 2;
    const auto& g = s.phantom.volume->geometry();
    core::io::NiftiVolume ct, mask;
    ct.dims = mask.dims = {g.cols, g.rows, g.slices};
    ct.spacing_mm = mask.spacing_mm = {g.spacing_mm[0], g.spacing_mm[1], g.spacing_mm[2]};
    ct.affine = core::io::affineFromLps(g.origin_mm, g.row_dir, g.col_dir, g.normal, g.spacing_mm);
    ct.type = core::io::NiftiType::Int16;
    mask.type = core::io::NiftiType::UInt8;
    std::vector<std::int16_t> hu(static_cast<std::size_t>(g.cols) * g.rows * g.slices);
    std::vector<std::uint8_t> m(hu.size());
    for (int k = 0; k < g.slices; ++k)
      for (int y = 0; y < g.rows; ++y)
        for (int x = 0; x < g.cols; ++x) {
          const std::size_t src = (static_cast<std::size_t>(k) * g.rows + y) * g.cols + x;
          const int xs = mirrored ? g.cols - 1 - x : x;  // stored i runs towards the patient's right
          const std::size_t dst = (static_cast<std::size_t>(k) * g.rows + y) * g.cols + xs;
          hu[dst] = s.phantom.volume->slice(k)[static_cast<std::size_t>(y) * g.cols + x];
          const int id = s.phantom.labels[src];
          m[dst] = id == 2 || id == 3 ? 1 : id == 4 ? 2 : id == 5 ? 3 : 0;  // GGO 1, consolidation 2, fibrotic 3
        }
    if (mirrored)
      for (int r = 0; r < 3; ++r) {
        ct.affine[r][3] += ct.affine[r][0] * (g.cols - 1);
        ct.affine[r][0] = -ct.affine[r][0];
      }
    mask.affine = ct.affine;
    ct.data.assign(reinterpret_cast<const char*>(hu.data()), hu.size() * 2);
    mask.data.assign(reinterpret_cast<const char*>(m.data()), m.size());
    nifti(root / "COVID-19-CT-Seg_20cases" / (s.id + ".nii.gz"), ct);
    nifti(root / "Infection_Mask" / (s.id + ".nii.gz"), mask);
  }
  return root;
}

fs::path writeImagesCsv(const fs::path& root) {
  std::ostringstream csv;
  csv << "path,subject_id,label\n";
  for (const auto& s : phantomSubjects())
    for (int k = 0; k < kSlices; ++k) {
      const std::string rel = "png/" + s.id + "_" + std::to_string(k) + ".png";
      png(root / rel, lungWindow(s, k));
      csv << rel << "," << s.id << "," << s.slice_labels[k] << "\n";
    }
  writeText(root / "labels.csv", csv.str());
  return root;
}

int cli(const std::string& arguments, const fs::path& log) {
  const std::string command = std::string(LUNGLENS_CLI) + " " + arguments + " > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readText(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace lunglens::test::datasets
