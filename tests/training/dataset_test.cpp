// Dataset readers: the image-folder CSV (path,subject_id,label) with PNG slices, and a real phantom set written
// by core/phantom (labels.csv + DICOM), read back as HU.
#include "core/training/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/phantom/phantom_set.h"
#include "core/training/split.h"
#include "tests/common/test_paths.h"
// Qt last (QT_NO_KEYWORDS is set for this target as well).
#include <QImage>

namespace lunglens::core::training {
namespace {

namespace fs = std::filesystem;

void writeGreyImage(const fs::path& file, int value) {
  QImage image(20, 10, QImage::Format_Grayscale8);
  image.fill(value);
  image.setPixel(3, 2, qRgb(255, 255, 255));
  ASSERT_TRUE(image.save(QString::fromStdString(file.string())));
}

TEST(ImageCsvDataset, ReadsLabelsSubjectsAndMapsGreyToLungWindowHu) {
  const fs::path dir = test::scratchDir("image-csv");
  fs::create_directories(dir / "img");
  writeGreyImage(dir / "img/a.png", 0);
  writeGreyImage(dir / "img/b.png", 51);
  writeGreyImage(dir / "img/c.jpg", 128);
  std::ofstream(dir / "set.csv") << "path,subject_id,label\n"
                                    "img/a.png,p1,covid\n"
                                    "img/b.png,p1,normal\n"
                                    "img/c.jpg,p2,normal\n"
                                    "\"img/a.png\",p1,covid\n";
  const Dataset data = readImageCsv(dir / "set.csv", {"covid", "other_pneumonia", "normal"});
  ASSERT_EQ(data.samples.size(), 4u);
  EXPECT_EQ(data.samples[1].label, 2);
  EXPECT_EQ(data.classCounts(), (std::vector<int>{2, 0, 2}));
  EXPECT_EQ(data.subject_labels.at("p1"), "covid");  // its most frequent label
  EXPECT_EQ(data.subject_labels.at("p2"), "normal");
  EXPECT_EQ(data.subset({"p2"}).samples.size(), 1u);

  const HuSlice a = loadHu(data.samples[0]);
  EXPECT_EQ(a.rows, 10);
  EXPECT_EQ(a.cols, 20);
  EXPECT_EQ(a.hu[0], -1350);                        // black -> bottom of the lung window
  EXPECT_EQ(a.hu[2 * 20 + 3], 150);                 // white -> top of the lung window
  EXPECT_EQ(loadHu(data.samples[1]).hu[0], -1050);  // 51 * 1500 / 255 - 1350

  const Dataset sorted = readImageCsv(dir / "set.csv");
  EXPECT_EQ(sorted.classes, (std::vector<std::string>{"covid", "normal"}));
}

TEST(ImageCsvDataset, BadRowsAreInputErrorsNamingTheLine) {
  const fs::path dir = test::scratchDir("image-csv-bad");
  writeGreyImage(dir / "a.png", 10);
  std::ofstream(dir / "unknown.csv") << "path,subject_id,label\na.png,p1,covid\na.png,p1,flu\n";
  try {
    readImageCsv(dir / "unknown.csv", {"covid", "normal"});
    FAIL() << "an unknown label was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown.csv:3"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "missing.csv") << "path,subject_id,label\nnothere.png,p1,covid\n";
  EXPECT_THROW(readImageCsv(dir / "missing.csv"), InputError);
  std::ofstream(dir / "header.csv") << "file,subject,label\na.png,p1,covid\n";
  EXPECT_THROW(readImageCsv(dir / "header.csv"), InputError);
  std::ofstream(dir / "fields.csv") << "path,subject_id,label\na.png,p1\n";
  EXPECT_THROW(readImageCsv(dir / "fields.csv"), InputError);
  std::ofstream(dir / "not_image.png") << "text";
  EXPECT_THROW(loadHu(SliceSample{"p", 0, dir / "not_image.png"}), InputError);
}

TEST(PhantomSetDataset, ReadsAGeneratedSetAsHuSlicesAndSplitsBySubject) {
  const fs::path dir = test::scratchDir("phantom-set");
  phantom::PhantomSetOptions options;
  options.subjects = 3;
  options.slices = 4;
  options.size = 64;
  options.seed = 5;
  const fs::path labels = phantom::writePhantomSet(dir, options);

  const Dataset data = readPhantomSet(labels, inference::Task::Diagnosis);
  EXPECT_EQ(data.classes, (std::vector<std::string>{"covid", "other_pneumonia", "normal"}));
  EXPECT_EQ(data.samples.size(), 12u);
  EXPECT_EQ(data.subject_labels.size(), 3u);
  std::set<std::string> study_labels;
  for (const auto& [id, label] : data.subject_labels) study_labels.insert(label);
  EXPECT_EQ(study_labels.size(), 3u);  // the set cycles covid, other_pneumonia, normal

  const HuSlice slice = loadHu(data.samples[1]);
  EXPECT_EQ(slice.rows, 64);
  EXPECT_EQ(slice.cols, 64);
  const auto [lo, hi] = std::minmax_element(slice.hu.begin(), slice.hu.end());
  EXPECT_LT(*lo, -500);  // air / lung
  EXPECT_GT(*hi, 0);     // soft tissue or bone

  const SubjectSplit split = splitSubjects(data.subjectLabels(), 1);
  EXPECT_EQ(data.subset(split.train).samples.size() + data.subset(split.validation).samples.size() +
                data.subset(split.test).samples.size(),
            12u);

  // Manifestation: only covid slices with a finding, labelled ggo / consolidation / fibrotic_streaks.
  const Dataset manifestation = readPhantomSet(labels, inference::Task::Manifestation);
  EXPECT_EQ(manifestation.classes, (std::vector<std::string>{"ggo", "consolidation", "fibrotic_streaks"}));
  EXPECT_LE(manifestation.samples.size(), 4u);
  for (const auto& s : manifestation.samples) EXPECT_EQ(data.subject_labels.at(s.subject_id), "covid");
}

// Slices whose finding is a trace (under --min-finding-mm2 on the slice) are set aside, normal slices never are,
// and a labels.csv without the area column is refused when the filter is asked for.
TEST(PhantomSetDataset, TraceFindingsUnderTheMinimumAreaAreSetAside) {
  const fs::path dir = test::scratchDir("phantom-set-traces");
  phantom::PhantomSetOptions options;
  options.subjects = 3;
  options.slices = 14;
  options.size = 64;
  options.seed = 11;
  const fs::path labels = phantom::writePhantomSet(dir, options);

  // The diseased slices' areas, read from labels.csv itself; the threshold splits them.
  std::ifstream in(labels);
  std::string line;
  std::getline(in, line);
  std::vector<double> diseased_areas;
  int rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::vector<std::string> c;
    std::stringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) c.push_back(f);
    if (c.at(6) != "normal") diseased_areas.push_back(std::stod(c.at(13)));
  }
  ASSERT_GE(diseased_areas.size(), 4u);
  std::sort(diseased_areas.begin(), diseased_areas.end());
  const double threshold = diseased_areas[diseased_areas.size() / 2];
  const auto expected_traces = static_cast<std::size_t>(
      std::count_if(diseased_areas.begin(), diseased_areas.end(), [&](double a) { return a < threshold; }));
  ASSERT_GT(expected_traces, 0u);

  const Dataset all = readPhantomSet(labels, inference::Task::Diagnosis);
  EXPECT_TRUE(all.trace_samples.empty());
  const Dataset data = readPhantomSet(labels, inference::Task::Diagnosis, threshold);
  EXPECT_EQ(data.trace_samples.size(), expected_traces);
  EXPECT_EQ(data.samples.size() + data.trace_samples.size(), static_cast<std::size_t>(rows));
  EXPECT_DOUBLE_EQ(data.min_finding_area_mm2, threshold);
  const int normal = 2;
  for (const auto& s : data.trace_samples) EXPECT_NE(s.label, normal) << s.file;
  EXPECT_EQ(data.classCounts()[normal], all.classCounts()[normal]);
  // A subset keeps its subjects' traces.
  std::size_t traces_in_subsets = 0;
  for (const auto& [id, label] : data.subjectLabels()) traces_in_subsets += data.subset({id}).trace_samples.size();
  EXPECT_EQ(traces_in_subsets, expected_traces);

  // An older labels.csv (no involved_area_mm2 column) still reads, but cannot be filtered.
  std::ifstream full(labels);
  std::ofstream old(dir / "old_labels.csv");
  while (std::getline(full, line)) old << line.substr(0, line.rfind(',')) << "\n";
  old.close();
  EXPECT_EQ(readPhantomSet(dir / "old_labels.csv", inference::Task::Diagnosis).samples.size(),
            static_cast<std::size_t>(rows));
  EXPECT_THROW(readPhantomSet(dir / "old_labels.csv", inference::Task::Diagnosis, 50.0), InputError);
}

}  // namespace
}  // namespace lunglens::core::training
