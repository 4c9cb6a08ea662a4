// Bad input per format: every problem reported with its file (and line for table rows), and nothing written -
// neither the dataset folder nor a temporary one beside it.
#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/datasets/importer.h"
#include "core/io/nifti.h"
#include "tests/common/test_paths.h"
#include "tests/datasets/fixtures.h"

namespace lunglens::test::datasets {
namespace {

namespace fs = std::filesystem;
namespace ds = core::datasets;

// Imports and returns the error message; fails the test if the import succeeds or leaves anything behind.
std::string failingImport(const std::string& format, const fs::path& source, const fs::path& out) {
  ds::ImportOptions o;
  o.format = format;
  o.source = source;
  o.out = out;
  o.threads = 1;
  std::string message;
  try {
    ds::importDataset(o);
    ADD_FAILURE() << format << " import succeeded on bad input";
  } catch (const core::InputError& e) {
    message = e.what();
  }
  EXPECT_FALSE(fs::exists(out));
  if (fs::exists(out.parent_path())) {
    for (const auto& e : fs::directory_iterator(out.parent_path())) {
      EXPECT_EQ(e.path().filename().string().find(".import-"), std::string::npos) << e.path();
    }
  }
  return message;
}

void append(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::app) << text; }

TEST(DatasetBadInput, DicomLabelsNamesEachBadRow) {
  const fs::path dir = scratchDir("bad-dicom-labels");
  const fs::path src = writeDicomLabels(dir / "src");
  const auto& s = phantomSubjects().front();
  append(src / "labels.csv", s.patient_id + ",influenza,,,\n");                // line 2 + n
  append(src / "labels.csv", "NOT-A-PATIENT,covid,,,\n");
  append(src / "labels.csv", s.patient_id + ",covid,,1.2.3.4.5,\n");          // no such slice
  const std::string m = failingImport("dicom-labels", src, dir / "out" / "dataset");
  const std::string csv = (src / "labels.csv").string();
  int lines = 1;
  { std::ifstream in(src / "labels.csv"); for (std::string l; std::getline(in, l);) ++lines; }
  EXPECT_NE(m.find(csv + ":" + std::to_string(lines - 3) + ": unknown label 'influenza'"), std::string::npos) << m;
  EXPECT_NE(m.find(csv + ":" + std::to_string(lines - 2) + ": no DICOM series with PatientID"), std::string::npos) << m;
  EXPECT_NE(m.find(csv + ":" + std::to_string(lines - 1) + ": no slice with SOPInstanceUID 1.2.3.4.5"),
            std::string::npos) << m;
}

TEST(DatasetBadInput, CovidCtMdReportsMissingCasesAndASubjectInTwoClasses) {
  const fs::path dir = scratchDir("bad-covid-ct-md");
  const fs::path src = writeCovidCtMd(dir / "src");
  append(src / "Index.csv", "P999,COVID-19 Cases,99\n");  // more rows than the array, and no such folder
  const auto& normal = phantomSubjects().at(2);       // also filed as a COVID-19 case
  fs::copy(src / "Normal Cases" / normal.id, src / "COVID-19 Cases" / normal.id);
  const std::string m = failingImport("covid-ct-md", src, dir / "out" / "dataset");
  EXPECT_NE(m.find((src / "Index.csv").string() + ": 6 rows, but"), std::string::npos) << m;
  EXPECT_NE(m.find("subject '" + normal.id + "': in two classes"), std::string::npos) << m;
}

TEST(DatasetBadInput, CcCciiReportsAPatientInTwoClassesAndEmptyScans) {
  const fs::path dir = scratchDir("bad-cc-ccii");
  const fs::path src = writeCcCcii(dir / "src");
  const auto& covid = phantomSubjects().at(0);
  fs::copy(src / "NCP" / covid.id, src / "CP" / covid.id, fs::copy_options::recursive);
  fs::create_directories(src / "Normal" / "empty_patient" / "1");
  const std::string m = failingImport("cc-ccii", src, dir / "out" / "dataset");
  EXPECT_NE(m.find("subject '" + covid.id + "': in two classes"), std::string::npos) << m;
  EXPECT_NE(m.find((src / "Normal" / "empty_patient" / "1").string() + ": scan folder without"), std::string::npos)
      << m;
}

TEST(DatasetBadInput, NiftiMasksReportsInconsistentSpacingAndSize) {
  const fs::path dir = scratchDir("bad-nifti-masks");
  const fs::path src = writeNiftiMasks(dir / "src");
  std::vector<fs::path> masks;
  for (const auto& e : fs::directory_iterator(src / "Infection_Mask")) masks.push_back(e.path());
  std::sort(masks.begin(), masks.end());
  auto spacing = core::io::readNifti(masks[0]);
  spacing.spacing_mm[2] *= 2;
  core::io::writeNifti(masks[0], spacing);
  auto size = core::io::readNifti(masks[1]);
  size.dims[2] -= 1;
  size.data.resize(size.voxelCount());
  core::io::writeNifti(masks[1], size);
  const std::string m = failingImport("nifti-masks", src, dir / "out" / "dataset");
  EXPECT_NE(m.find(masks[0].string() + ": inconsistent spacing"), std::string::npos) << m;
  EXPECT_NE(m.find(masks[1].string() + ": mask is 64x64x7, its volume 64x64x8"), std::string::npos) << m;
}

TEST(DatasetBadInput, ImagesCsvNamesMissingFilesAndUnknownLabels) {
  const fs::path dir = scratchDir("bad-images-csv");
  const fs::path src = writeImagesCsv(dir / "src");
  append(src / "labels.csv", "png/missing.png,subject_0001,covid\n");
  append(src / "labels.csv", "png/subject_0001_0.png,subject_0001,tuberculosis\n");
  const std::string m = failingImport("images-csv", src, dir / "out" / "dataset");
  const std::string csv = (src / "labels.csv").string();
  const int first = 2 + static_cast<int>(phantomSubjects().size()) * kSlices;
  EXPECT_NE(m.find(csv + ":" + std::to_string(first) + ": image "), std::string::npos) << m;
  EXPECT_NE(m.find("missing.png does not exist"), std::string::npos) << m;
  EXPECT_NE(m.find(csv + ":" + std::to_string(first + 1) + ": unknown label 'tuberculosis'"), std::string::npos) << m;
}

}  // namespace
}  // namespace lunglens::test::datasets

namespace lunglens::test::datasets {
namespace {

// A phantom set writes a dataset.json of its own kind (generator_version, no schema_version): it must still be
// read as a phantom set, not refused as a broken imported dataset (`ood-fit --data SET` failed on it).
TEST(DatasetBadInput, PhantomSetFolderIsNotTakenForAnImportedDataset) {
  const fs::path dir = scratchDir("not-a-dataset");
  {
    std::ofstream(dir / "dataset.json") << R"({"generator_version": 1, "seed": 2026, "subjects": []})";
  }
  EXPECT_FALSE(core::datasets::isDatasetDir(dir));
  {
    std::ofstream(dir / "dataset.json") << "{ not json";
  }
  EXPECT_FALSE(core::datasets::isDatasetDir(dir));
  {
    std::ofstream(dir / "dataset.json") << R"({"schema_version": 1, "subjects": []})";
  }
  EXPECT_TRUE(core::datasets::isDatasetDir(dir));
}

}  // namespace
}  // namespace lunglens::test::datasets
