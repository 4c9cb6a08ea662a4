// Annotation model, JSON format and the per-study store.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/annotation/annotation_store.h"
#include "tests/common/test_paths.h"

using namespace lunglens::core::annotation;
namespace fs = std::filesystem;

namespace {

StudyAnnotations sample() {
  StudyAnnotations s;
  s.study_uid = "1.2.826.0.1.3680043.2.1125.1";
  s.annotations.push_back({1, AnnotationKind::Length, "1.2.3", 12, "1.2.3.4", {{10.5, 20.25}, {40, 60}}, ""});
  s.annotations.push_back({2, AnnotationKind::Text, "1.2.3", 12, "1.2.3.4", {{5, 5}}, "Ground glass? \u00e9"});
  s.annotations.push_back({5, AnnotationKind::Freehand, "1.2.3", 3, "", {{0, 0}, {10, 0}, {10, 10}}, "cap"});
  s.bookmarks.push_back({"1.2.3", 12, "1.2.3.4", "key image: nodule"});
  return s;
}

}  // namespace

TEST(Annotations, JsonRoundTripKeepsEverything) {
  const StudyAnnotations s = sample();
  const StudyAnnotations back = studyAnnotationsFromJson(toJson(s), "test");
  EXPECT_EQ(back.study_uid, s.study_uid);
  ASSERT_EQ(back.annotations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(back.annotations[i], s.annotations[i]);
  ASSERT_EQ(back.bookmarks.size(), 1u);
  EXPECT_EQ(back.bookmarks[0], s.bookmarks[0]);
  EXPECT_EQ(back.onSlice("1.2.3", 12).size(), 2u);
  EXPECT_TRUE(back.bookmarkAt("1.2.3", 12).has_value());
  EXPECT_FALSE(back.bookmarkAt("1.2.3", 13).has_value());
  EXPECT_EQ(back.maxId(), 5u);
}

TEST(Annotations, MalformedJsonIsAnInputErrorNamingTheField) {
  auto j = toJson(sample());
  j["annotations"][0]["points"] = {{1, 2}};  // a length needs two points
  try {
    studyAnnotationsFromJson(j, "file.json");
    FAIL() << "accepted a one-point length";
  } catch (const lunglens::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("annotations[0]"), std::string::npos) << e.what();
  }
  auto k = toJson(sample());
  k["annotations"][1]["id"] = 1;  // duplicate
  EXPECT_THROW(studyAnnotationsFromJson(k, "f"), lunglens::core::InputError);
  auto m = toJson(sample());
  m["annotations"][0]["kind"] = "circle";
  EXPECT_THROW(studyAnnotationsFromJson(m, "f"), lunglens::core::InputError);
  EXPECT_THROW(studyAnnotationsFromJson(nlohmann::json::array(), "f"), lunglens::core::InputError);
}

TEST(AnnotationStore, SavesPerStudyAndRestores) {
  const fs::path root = lunglens::test::scratchDir("annotation-store");
  const AnnotationStore store(root / "annotations");
  const StudyAnnotations s = sample();
  EXPECT_TRUE(store.load(s.study_uid).annotations.empty());
  store.save(s);
  const fs::path file = root / "annotations" / (s.study_uid + ".json");
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(store.fileFor(s.study_uid), file);
  const StudyAnnotations back = store.load(s.study_uid);
  ASSERT_EQ(back.annotations.size(), 3u);
  EXPECT_EQ(back.annotations[2], s.annotations[2]);
  // Another study's annotations are separate.
  EXPECT_TRUE(store.load("1.2.3.999").annotations.empty());
  // Saving again replaces the file; saving nothing removes it. No temporary files are left behind.
  StudyAnnotations fewer = s;
  fewer.annotations.pop_back();
  store.save(fewer);
  EXPECT_EQ(store.load(s.study_uid).annotations.size(), 2u);
  store.save(StudyAnnotations{s.study_uid, {}, {}});
  EXPECT_FALSE(fs::exists(file));
  for (const auto& entry : fs::directory_iterator(root / "annotations")) ADD_FAILURE() << entry.path();
}

TEST(AnnotationStore, DefaultRootIsUnderTheUserDataDir) {
  // ctest sets LUNGLENS_DATA_DIR for every test.
  const AnnotationStore store;
  EXPECT_EQ(store.root().filename(), "annotations");
  EXPECT_EQ(store.root().parent_path(), lunglens::core::userDataDir());
}

// Issue 18: annotations of series with valid but unusual UIDs (UUID-derived 2.25 UIDs longer than the usual, vendor
// UIDs with letters, a series without a study UID) were refused and silently not saved. Every key now has a file
// inside the store, and a crafted key can never name a path outside it.
TEST(AnnotationStore, EveryUidHasAFileInsideTheStore) {
  const fs::path root = lunglens::test::scratchDir("annotation-uids");
  const AnnotationStore store(root);
  EXPECT_EQ(store.fileFor("1.2.840.10008.1"), root / "1.2.840.10008.1.json");
  EXPECT_EQ(store.fileFor("2.25.329800735698586629295641978511506172918"),
            root / "2.25.329800735698586629295641978511506172918.json");
  const std::vector<std::string> unusual = {
      "2.25.329800735698586629295641978511506172918.1.2.3.4.5.6.7.8.9.10.11.12",  // over 64 characters
      "2.25.a1b2c3d4", "1.2.3.4 ", "../../etc/passwd", "1.2/3", "1..2", ".1.2", "series:1.2.3"};
  std::set<fs::path> files;
  for (const std::string& uid : unusual) {
    const fs::path file = store.fileFor(uid);
    EXPECT_EQ(file.parent_path(), root) << uid;
    EXPECT_EQ(file.filename().string().rfind("uid-", 0), 0u) << uid;
    files.insert(file);
    // Saved and read back under the same key.
    StudyAnnotations s = sample();
    s.study_uid = uid;
    store.save(s);
    const StudyAnnotations back = store.load(uid);
    EXPECT_EQ(back.study_uid, uid);
    EXPECT_EQ(back.annotations.size(), s.annotations.size()) << uid;
    EXPECT_EQ(back.bookmarks.size(), s.bookmarks.size()) << uid;
  }
  EXPECT_EQ(files.size(), unusual.size());  // distinct keys, distinct files
  EXPECT_THROW(store.fileFor(""), lunglens::core::InputError);
}

TEST(AnnotationStore, ASeriesWithoutAStudyUidIsKeyedOnItsSeriesUid) {
  lunglens::core::dicom::SeriesInfo series;
  series.series_uid = "2.25.1234";
  EXPECT_EQ(annotationKey(series), "series:2.25.1234");
  series.study_uid = "1.2.3";
  EXPECT_EQ(annotationKey(series), "1.2.3");
}

TEST(AnnotationStore, FailedSaveLeavesThePreviousFileIntact) {
  const fs::path root = lunglens::test::scratchDir("annotation-fail");
  // A "folder" that is a regular file: nothing can be created under it, even as root.
  std::ofstream(root / "blocker") << "x";
  const AnnotationStore broken(root / "blocker" / "annotations");
  EXPECT_THROW(broken.save(sample()), lunglens::core::InputError);

  const AnnotationStore store(root / "ok");
  store.save(sample());
  const fs::path file = store.fileFor(sample().study_uid);
  std::ifstream in(file);
  const std::string before((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THROW(saveAnnotationsFile(sample(), file, false), lunglens::core::InputError);  // no silent overwrite
  std::ifstream again(file);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), {}), before);
}

TEST(AnnotationStore, RelinksItemsToTheirSopInstanceAfterReopening) {
  lunglens::core::dicom::SeriesInfo series;
  series.series_uid = "1.2.3";
  for (int i = 0; i < 20; ++i) {
    lunglens::core::dicom::SliceRef ref;
    ref.sop_instance_uid = "1.2.3.4." + std::to_string(i);
    series.slices.push_back(ref);
  }
  StudyAnnotations s = sample();  // annotations on slice 12 with SOP 1.2.3.4 (not in this series), slice 3 none
  s.annotations[0].sop_instance_uid = "1.2.3.4.15";  // was slice 12 when saved; the series now sorts it at 15
  s.bookmarks[0].sop_instance_uid = "1.2.3.4.15";
  EXPECT_EQ(relinkToSeries(s, series), 2);
  EXPECT_EQ(s.annotations[0].slice, 15);
  EXPECT_EQ(s.bookmarks[0].slice, 15);
  EXPECT_EQ(s.annotations[1].slice, 12) << "an unknown SOP instance keeps its index";
  EXPECT_EQ(s.annotations[2].sop_instance_uid, "1.2.3.4.3") << "a missing SOP instance UID is filled in";
  EXPECT_EQ(relinkToSeries(s, series), 0);
  series.series_uid = "9.9";
  s.annotations[0].sop_instance_uid = "1.2.3.4.1";
  EXPECT_EQ(relinkToSeries(s, series), 0) << "other series are left alone";
}
