// A model's provenance names what its phantom set held: stylised subjects only, or hybrids on real CT series too.
#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/phantom/generator.h"
#include "core/phantom/phantom_set.h"
#include "core/phantom/phantom_set_makeup.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::phantom {
namespace {

PhantomSetOptions tinySet() {
  PhantomSetOptions o;
  o.subjects = 4;
  o.seed = 11;
  o.slices = 4;
  o.size = 64;
  o.threads = 2;
  return o;
}

TEST(PhantomSetMakeup, StylisedSetSaysSyntheticPhantomsNotPatients) {
  const auto dir = test::scratchDir("makeup-stylised");
  writePhantomSet(dir, tinySet());
  const auto makeup = readPhantomSetMakeup(dir);
  ASSERT_TRUE(makeup.has_value());
  EXPECT_EQ(makeup->subjects, 4);
  EXPECT_EQ(makeup->hybrid_subjects, 0);
  EXPECT_EQ(phantomSetTrainingNote(makeup), "trained on synthetic phantoms (LungLens phantom generator), not patients");
}

// Subjects 0 and 2 marked as hybrids of two series (as core/hybrid marks them); the note counts series, not
// subjects, and no longer says "not patients": the anatomy is a patient's.
TEST(PhantomSetMakeup, HybridSubjectsAreNamedWithTheirRealSeries) {
  const auto dir = test::scratchDir("makeup-hybrid");
  PhantomSetOptions o = tinySet();
  o.make_subject = [](int i, const PhantomParams& params) {
    PhantomParams p = params;
    if (i % 2 == 0) p.background = "series=1.2.840.99." + std::to_string(i == 0 ? 1 : 2) + ";flip=1,dx=3";
    return generatePhantom(p);
  };
  writePhantomSet(dir, o);
  const auto makeup = readPhantomSetMakeup(dir);
  ASSERT_TRUE(makeup.has_value());
  EXPECT_EQ(makeup->hybrid_subjects, 2);
  EXPECT_EQ(makeup->background_series, (std::set<std::string>{"1.2.840.99.1", "1.2.840.99.2"}));
  const std::string note = phantomSetTrainingNote(makeup);
  EXPECT_EQ(note, "trained on stylised and hybrid phantoms (2 of 4 subjects hybrid: real anatomy from 2 CT series, "
                  "synthetic findings; LungLens phantom generator), not on patients' findings");
}

TEST(PhantomSetMakeup, AllHybridAndUnknownSets) {
  PhantomSetMakeup all;
  all.subjects = all.hybrid_subjects = 3;
  all.background_series = {"1.2.3"};
  EXPECT_EQ(phantomSetTrainingNote(all), "trained on hybrid phantoms (real anatomy from 1 CT series, synthetic "
                                         "findings; LungLens phantom generator), not on patients' findings");
  // A set written before dataset.json existed: the stylised wording, as before.
  const auto empty = test::scratchDir("makeup-none");
  EXPECT_FALSE(readPhantomSetMakeup(empty).has_value());
  EXPECT_EQ(phantomSetTrainingNote(std::nullopt),
            "trained on synthetic phantoms (LungLens phantom generator), not patients");
}

TEST(PhantomSetMakeup, UnreadableDatasetJsonIsAnInputError) {
  const auto dir = test::scratchDir("makeup-bad");
  std::ofstream(dir / "dataset.json") << "{\"generator_version\": 1, \"subjects\": 7}";
  EXPECT_THROW(readPhantomSetMakeup(dir), InputError);
  std::ofstream(dir / "dataset.json") << "{\"subjects\": [{\"subject_id\": \"a\"}, 3]}";
  EXPECT_THROW(readPhantomSetMakeup(dir), InputError);
  std::ofstream(dir / "dataset.json") << "{\"subjects\": [{\"background\": 5}]}";
  EXPECT_THROW(readPhantomSetMakeup(dir), InputError);
}

// Only a "series=" field names the series (not "xseries=" inside another field); two transforms of one series are
// one series.
TEST(PhantomSetMakeup, SeriesComeFromTheSeriesField) {
  const auto dir = test::scratchDir("makeup-fields");
  std::ofstream(dir / "dataset.json")
      << "{\"subjects\": [{\"background\": \"xseries=9;series=1.2.3;flip=1\"}, "
         "{\"background\": \"series=1.2.3;rot=5\"}, {\"background\": \"\"}, {\"subject_id\": \"s\"}]}";
  const auto makeup = readPhantomSetMakeup(dir);
  ASSERT_TRUE(makeup.has_value());
  EXPECT_EQ(makeup->subjects, 4);
  EXPECT_EQ(makeup->hybrid_subjects, 2);
  EXPECT_EQ(makeup->background_series, (std::set<std::string>{"1.2.3"}));
}

}  // namespace
}  // namespace lunglens::core::phantom
