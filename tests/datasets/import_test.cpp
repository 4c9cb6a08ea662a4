// Every import format on a fixture in its exact layout, checked against the phantom truth: subject ids, counts,
// labels (per slice), manifestation fractions where the layout has masks, and a subject-level split with no
// subject in two splits.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/datasets/canonical.h"
#include "core/datasets/importer.h"
#include "core/training/split.h"
#include "tests/common/test_paths.h"
#include "tests/datasets/fixtures.h"

namespace lunglens::test::datasets {
namespace {

namespace fs = std::filesystem;
namespace ds = core::datasets;

ds::CanonicalDataset importFixture(const std::string& format, const fs::path& source, const fs::path& out,
                                   std::map<int, int> mask_values = {}) {
  ds::ImportOptions o;
  o.format = format;
  o.source = source;
  o.out = out;
  o.threads = 1;
  o.mask_manifestation = std::move(mask_values);
  ds::importDataset(o);
  return ds::readDataset(out);  // what was written reads back and validates
}

const FixtureSubject& byId(const std::string& id) {
  for (const auto& s : phantomSubjects())
    if (s.id == id || s.patient_id == id) return s;
  throw std::runtime_error("no fixture subject " + id);
}

// Subject-level split of the imported data: every subject in exactly one split.
void expectSubjectLevelSplit(const ds::CanonicalDataset& d, const fs::path& dir) {
  const auto data = ds::toTrainingDataset(d, dir, core::inference::Task::Diagnosis);
  const auto split = core::training::splitSubjects(data.subjectLabels(), 42);
  EXPECT_NO_THROW(core::training::checkDisjoint(split, "split"));
  std::multiset<std::string> seen;
  for (const auto* part : {&split.train, &split.validation, &split.test}) {
    EXPECT_FALSE(part->empty());
    seen.insert(part->begin(), part->end());
  }
  EXPECT_EQ(seen.size(), d.subjects.size());
  for (const auto& s : d.subjects) EXPECT_EQ(seen.count(s.id), 1u) << s.id;
  for (const auto& sample : data.samples) EXPECT_EQ(seen.count(sample.subject_id), 1u);
}

TEST(DatasetImport, DicomLabelsMatchesThePhantomTruthAtEveryLevel) {
  const fs::path dir = scratchDir("dicom-labels");
  const auto d = importFixture("dicom-labels", writeDicomLabels(dir / "src"), dir / "dataset");
  ASSERT_EQ(d.subjects.size(), phantomSubjects().size());
  EXPECT_EQ(d.sliceCount(), phantomSubjects().size() * kSlices);
  for (const auto& subject : d.subjects) {
    const FixtureSubject& truth = byId(subject.id);
    EXPECT_EQ(subject.id, truth.patient_id);  // subject ids are the source's (PatientID here)
    EXPECT_EQ(subject.label, truth.label);
    ASSERT_EQ(subject.series.size(), 1u);
    ASSERT_EQ(subject.series[0].slices.size(), static_cast<std::size_t>(kSlices));
    for (const auto& sl : subject.series[0].slices)
      EXPECT_EQ(sl.label, truth.slice_labels.at(static_cast<std::size_t>(sl.instance_number - 1)))
          << subject.id << " #" << sl.instance_number;
    EXPECT_NEAR(subject.series[0].spacing_mm[2], truth.phantom.volume->geometry().spacing_mm[2], 1e-3);
  }
  EXPECT_NE(d.licence.find("--licence"), std::string::npos);
  expectSubjectLevelSplit(d, dir / "dataset");
}

TEST(DatasetImport, CovidCtMdTakesSliceLabelsFromTheArrayInInstanceOrder) {
  const fs::path dir = scratchDir("covid-ct-md");
  const auto d = importFixture("covid-ct-md", writeCovidCtMd(dir / "src"), dir / "dataset");
  ASSERT_EQ(d.subjects.size(), phantomSubjects().size());
  std::map<std::string, int> slices_by_label;
  for (const auto& subject : d.subjects) {
    const FixtureSubject& truth = byId(subject.id);
    EXPECT_EQ(subject.label, truth.label);
    for (const auto& sl : subject.series.at(0).slices) {
      EXPECT_EQ(sl.label, truth.slice_labels.at(static_cast<std::size_t>(sl.instance_number - 1)));
      ++slices_by_label[sl.label];
    }
  }
  EXPECT_GT(slices_by_label["covid"], 0);
  EXPECT_GT(slices_by_label["other_pneumonia"], 0);
  EXPECT_GT(slices_by_label["normal"], 0);
  EXPECT_NE(d.licence.find("CC BY 4.0"), std::string::npos);
  expectSubjectLevelSplit(d, dir / "dataset");
}

TEST(DatasetImport, CcCciiUsesClassFoldersAndTheLesionSubsetMasks) {
  const fs::path dir = scratchDir("cc-ccii");
  const auto d = importFixture("cc-ccii", writeCcCcii(dir / "src"), dir / "dataset");
  ASSERT_EQ(d.subjects.size(), phantomSubjects().size());
  int covid_seen = 0, masked = 0;
  for (const auto& truth : phantomSubjects()) {
    const auto it = std::find_if(d.subjects.begin(), d.subjects.end(), [&](const auto& s) { return s.id == truth.id; });
    ASSERT_NE(it, d.subjects.end()) << truth.id;
    EXPECT_EQ(it->label, truth.label);
    ASSERT_EQ(it->series.size(), 1u);
    const auto& slices = it->series[0].slices;
    ASSERT_EQ(slices.size(), static_cast<std::size_t>(kSlices));
    const bool seg = truth.label == "covid" && ++covid_seen == 2;
    for (int k = 0; k < kSlices; ++k) {
      // Natural order: 0, 5, 10, ... (not "10" before "5").
      EXPECT_EQ(fs::path(slices[static_cast<std::size_t>(k)].file).filename().string(), std::to_string(k * 5) + ".png");
      const auto& sl = slices[static_cast<std::size_t>(k)];
      if (!seg) {
        EXPECT_EQ(sl.label, truth.label);  // a scan's slices take its class
        EXPECT_FALSE(sl.manifestation);
        continue;
      }
      ++masked;
      EXPECT_EQ(sl.label, hasCovidLesion(truth, k, /*include_fibrotic=*/false) ? "covid" : "normal") << k;
      ASSERT_TRUE(sl.manifestation);
    }
  }
  EXPECT_EQ(masked, kSlices);
  expectSubjectLevelSplit(d, dir / "dataset");
}

TEST(DatasetImport, NiftiMasksDeriveSliceLabelsFractionsAndOrientation) {
  const fs::path dir = scratchDir("nifti-masks");
  const auto d = importFixture("nifti-masks", writeNiftiMasks(dir / "src"), dir / "dataset", {{1, 0}, {2, 1}, {3, 2}});
  ASSERT_EQ(d.subjects.size(), 3u);  // the covid phantoms
  for (const auto& subject : d.subjects) {
    const FixtureSubject& truth = byId(subject.id);
    EXPECT_EQ(subject.label, "covid");
    const auto& slices = subject.series.at(0).slices;
    ASSERT_EQ(slices.size(), static_cast<std::size_t>(kSlices));
    for (int n = 0; n < kSlices; ++n) {
      const auto& sl = slices[static_cast<std::size_t>(n)];
      EXPECT_EQ(sl.frame, n);  // the fixture's third axis runs superior: most inferior first
      EXPECT_EQ(sl.label, truth.slice_labels[static_cast<std::size_t>(n)]) << subject.id << " slice " << n;
      ASSERT_TRUE(sl.manifestation);
      const auto& t = truth.phantom.slices[static_cast<std::size_t>(n)];
      if (sl.label == "covid" && t.dominant) {
        const auto& f = *sl.manifestation;
        const int largest = static_cast<int>(std::max_element(f.begin(), f.end()) - f.begin());
        const int expected = *t.dominant == core::phantom::Finding::Consolidation     ? 1
                             : *t.dominant == core::phantom::Finding::FibroticStreaks ? 2
                                                                                      : 0;
        EXPECT_EQ(largest, expected) << subject.id << " slice " << n;
        EXPECT_GT(sl.finding_area_mm2, 0.0);
      }
    }
  }
  // Every slice reads back as the phantom's HU slice, the mirrored volume included (its affine says so).
  const auto data = ds::toTrainingDataset(d, dir / "dataset", core::inference::Task::Diagnosis);
  for (const auto& sample : data.samples) {
    const FixtureSubject& truth = byId(sample.subject_id);
    const auto hu = core::training::loadHu(sample);
    ASSERT_EQ(hu.rows, kSize);
    const std::int16_t* expected = truth.phantom.volume->slice(sample.frame);
    EXPECT_TRUE(std::equal(hu.hu.begin(), hu.hu.end(), expected)) << sample.subject_id << " frame " << sample.frame;
  }
  const auto manifestation = ds::toTrainingDataset(d, dir / "dataset", core::inference::Task::Manifestation);
  EXPECT_GT(manifestation.samples.size(), 0u);
  expectSubjectLevelSplit(d, dir / "dataset");
}

TEST(DatasetImport, ImagesCsvKeepsSubjectsAndSliceLabels) {
  const fs::path dir = scratchDir("images-csv");
  const auto d = importFixture("images-csv", writeImagesCsv(dir / "src"), dir / "dataset");
  ASSERT_EQ(d.subjects.size(), phantomSubjects().size());
  EXPECT_EQ(d.sliceCount(), phantomSubjects().size() * kSlices);
  for (const auto& subject : d.subjects) {
    const FixtureSubject& truth = byId(subject.id);
    EXPECT_EQ(subject.label, truth.label);
    for (const auto& sl : subject.series.at(0).slices)
      EXPECT_EQ(sl.label, truth.slice_labels.at(static_cast<std::size_t>(sl.instance_number - 1)));
  }
  expectSubjectLevelSplit(d, dir / "dataset");
}

TEST(DatasetImport, RefusesToReplaceADatasetUnlessAsked) {
  const fs::path dir = scratchDir("overwrite");
  const fs::path src = writeImagesCsv(dir / "src");
  importFixture("images-csv", src, dir / "dataset");
  ds::ImportOptions o;
  o.format = "images-csv";
  o.source = src;
  o.out = dir / "dataset";
  EXPECT_THROW(ds::importDataset(o), core::InputError);
  o.overwrite = true;
  EXPECT_NO_THROW(ds::importDataset(o));
  o.format = "no-such-format";
  EXPECT_THROW(ds::importDataset(o), core::InputError);
}

}  // namespace
}  // namespace lunglens::test::datasets
