// The case library on phantom studies with known findings, AI results written straight from the ground truth
// (the query logic, independent of any model): queries by AI and teacher's labels, scores and tags; re-import
// updates in place and keeps the teacher's work; missing files and relinking; readers alongside a writer.
#include <gtest/gtest.h>

#include <QSqlQuery>

#include <future>
#include <set>

#include "core/common/error.h"
#include "core/library/case_library.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
using namespace lunglens::core::library;
using lunglens::test::PhantomStudy;

namespace {

class CaseLibraryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path root = lunglens::test::suiteScratchDir("library-phantoms");
    ggo_ = new PhantomStudy(lunglens::test::writeSmallPhantom(root / "ggo", 11, ph::Diagnosis::Covid, {ph::Finding::Ggo}));
    normal_ = new PhantomStudy(lunglens::test::writeSmallPhantom(root / "normal", 12, ph::Diagnosis::Normal));
    consolidation_ = new PhantomStudy(
        lunglens::test::writeSmallPhantom(root / "consolidation", 13, ph::Diagnosis::Covid, {ph::Finding::Consolidation}));
  }
  static void TearDownTestSuite() {
    fs::remove_all(ggo_->dir.parent_path());
    delete ggo_;
    delete normal_;
    delete consolidation_;
  }
  void SetUp() override { file_ = lunglens::test::scratchDir("library") / "library.sqlite"; }

  static std::set<int> truthSlicesWith(const PhantomStudy& s, ph::Finding f) {
    std::set<int> out;
    for (const auto& t : s.truth)
      if (t.label == ph::Diagnosis::Covid && t.dominant && ph::manifestationClass(*t.dominant) == f) out.insert(t.index);
    return out;
  }

  static PhantomStudy* ggo_;
  static PhantomStudy* normal_;
  static PhantomStudy* consolidation_;
  fs::path file_;
};

PhantomStudy* CaseLibraryTest::ggo_ = nullptr;
PhantomStudy* CaseLibraryTest::normal_ = nullptr;
PhantomStudy* CaseLibraryTest::consolidation_ = nullptr;

}  // namespace

TEST_F(CaseLibraryTest, WritesAStudyWithADeidentifiedLabelAndEverySlice) {
  CaseLibrary library(file_);
  const StudySummary s = library.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  EXPECT_EQ(s.label, "Case 0001");
  EXPECT_EQ(s.study_uid, ggo_->series.study_uid);
  EXPECT_EQ(s.series_count, 1);
  EXPECT_EQ(s.slice_count, 12);
  EXPECT_FALSE(s.missing);
  const auto rows = library.query({});
  ASSERT_EQ(rows.size(), 12u);
  std::set<int> slices;
  for (const auto& r : rows) {
    slices.insert(r.slice);
    EXPECT_TRUE(fs::exists(r.file)) << r.file;
    EXPECT_EQ(r.rows, 128);
    EXPECT_EQ(r.diagnosis.size(), 3u);
  }
  EXPECT_EQ(slices.size(), 12u);
  // The label does not contain anything from the study (name, ID, date).
  EXPECT_EQ(library.writeStudy(lunglens::test::recordFromTruth(*normal_)).label, "Case 0002");
}

TEST_F(CaseLibraryTest, QueryingGgoReturnsSlicesOfTheGgoPhantomAndNoneOfTheNormalOne) {
  CaseLibrary library(file_);
  const auto g = library.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  library.writeStudy(lunglens::test::recordFromTruth(*normal_));
  library.writeStudy(lunglens::test::recordFromTruth(*consolidation_));
  const std::set<int> expected = truthSlicesWith(*ggo_, ph::Finding::Ggo);
  ASSERT_FALSE(expected.empty()) << "the GGO phantom has no GGO slice";
  QueryFilter f;
  f.manifestation = "ggo";
  f.source = QueryFilter::Source::Ai;
  std::set<int> found;
  for (const auto& r : library.query(f)) {
    EXPECT_EQ(r.study_label, g.label) << "slice " << r.slice << " of " << r.study_label;
    EXPECT_EQ(r.ai_manifestation, "ggo");
    ASSERT_TRUE(r.score.has_value());
    EXPECT_DOUBLE_EQ(*r.score, 0.8);
    found.insert(r.slice);
  }
  EXPECT_EQ(found, expected);
  // Consolidation finds the other COVID phantom only.
  f.manifestation = "consolidation";
  const auto cons = library.query(f);
  EXPECT_EQ(cons.size(), truthSlicesWith(*consolidation_, ph::Finding::Consolidation).size());
  for (const auto& r : cons) EXPECT_EQ(r.series_uid, consolidation_->series.series_uid);
  // Every slice of the normal phantom is normal; a score floor above its P(normal) leaves none.
  f = {};
  f.diagnosis = "normal";
  int normal_rows = 0;
  for (const auto& r : library.query(f)) normal_rows += r.series_uid == normal_->series.series_uid ? 1 : 0;
  EXPECT_EQ(normal_rows, 12);
  f.min_score = 0.95;
  EXPECT_TRUE(library.query(f).empty());
}

TEST_F(CaseLibraryTest, TeacherLabelsAreMatchedBesideTheAiAndSurviveReimport) {
  CaseLibrary library(file_);
  library.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  library.writeStudy(lunglens::test::recordFromTruth(*normal_));
  const std::string normal_uid = normal_->series.series_uid;
  library.setTeacherLabel(normal_uid, 5, {"covid", {"ggo", "fibrotic_streaks"}, "subtle: look at the periphery"});
  QueryFilter f;
  f.manifestation = "ggo";
  f.source = QueryFilter::Source::Teacher;
  auto rows = library.query(f);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].series_uid, normal_uid);
  EXPECT_EQ(rows[0].slice, 5);
  EXPECT_EQ(rows[0].ai_diagnosis, "normal");  // the AI's answer, shown beside the teacher's
  ASSERT_TRUE(rows[0].teacher);
  EXPECT_EQ(rows[0].teacher->diagnosis, "covid");
  EXPECT_EQ(rows[0].teacher->manifestations, (std::vector<std::string>{"fibrotic_streaks", "ggo"}));
  f.source = QueryFilter::Source::Either;
  EXPECT_EQ(library.query(f).size(), truthSlicesWith(*ggo_, ph::Finding::Ggo).size() + 1);

  // Re-import (with different AI numbers): same rows, AI replaced, the teacher's label kept.
  auto record = lunglens::test::recordFromTruth(*normal_);
  for (auto& s : record.series[0].slices) s.diagnosis = {{"covid", 0.2}, {"other_pneumonia", 0.1}, {"normal", 0.7}};
  library.writeStudy(record);
  EXPECT_EQ(library.studies().size(), 2u);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM slices").toInt(), 24);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM ai_scores s JOIN slices sl ON sl.id = s.slice_id "
                                        "JOIN series se ON se.id = sl.series_id WHERE se.series_uid = ?",
                                        {QString::fromStdString(normal_uid)})
                .toInt(),
            36);
  const auto label = library.teacherLabel(normal_uid, 5);
  ASSERT_TRUE(label);
  EXPECT_EQ(label->note, "subtle: look at the periphery");
  f.source = QueryFilter::Source::Teacher;
  rows = library.query(f);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].diagnosis.at("normal"), 0.7);
  EXPECT_EQ(library.study(normal_->series.study_uid)->label, "Case 0002");
  library.clearTeacherLabel(normal_uid, 5);
  EXPECT_TRUE(library.query(f).empty());
  EXPECT_THROW(library.setTeacherLabel(normal_uid, 99, {}), lunglens::core::InputError);
}

// Issue 18: "Teacher" without a diagnosis returned every slice (a teaching set of 1,089 slices for 3 labels).
TEST_F(CaseLibraryTest, ASourceAloneFiltersToTheSlicesItLabelled) {
  CaseLibrary library(file_);
  library.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  library.writeStudy(lunglens::test::recordFromTruth(*normal_));
  const std::string normal_uid = normal_->series.series_uid;
  library.setTeacherLabel(normal_uid, 3, {"normal", {}, ""});
  library.setTeacherLabel(normal_uid, 7, {"", {"ggo"}, "only a manifestation"});
  QueryFilter f;
  f.source = QueryFilter::Source::Teacher;
  std::set<int> slices;
  for (const auto& r : library.query(f)) {
    EXPECT_EQ(r.series_uid, normal_uid);
    EXPECT_TRUE(r.teacher.has_value());
    slices.insert(r.slice);
  }
  EXPECT_EQ(slices, (std::set<int>{3, 7}));
  f.source = QueryFilter::Source::Either;
  EXPECT_EQ(library.query(f).size(), 24u);  // no filter: every slice
  f.source = QueryFilter::Source::Ai;
  EXPECT_EQ(library.query(f).size(), 24u);  // every slice has AI results here
}

TEST_F(CaseLibraryTest, TagsAndBookmarks) {
  CaseLibrary library(file_);
  library.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  const std::string uid = ggo_->series.series_uid;
  library.addTag(uid, 3, "typical");
  library.addTag(uid, 3, "typical");  // twice: still once
  library.addTag(uid, 7, "typical");
  library.addTag(uid, 7, "quiz-week-2");
  QueryFilter f;
  f.tag = "typical";
  const auto rows = library.query(f);
  ASSERT_EQ(rows.size(), 2u);
  std::set<int> slices{rows[0].slice, rows[1].slice};
  EXPECT_EQ(slices, (std::set<int>{3, 7}));
  EXPECT_EQ(library.tags(uid, 7), (std::vector<std::string>{"quiz-week-2", "typical"}));
  EXPECT_EQ(library.allTags(), (std::vector<std::string>{"quiz-week-2", "typical"}));
  library.removeTag(uid, 3, "typical");
  EXPECT_EQ(library.query(f).size(), 1u);

  library.setBookmark({uid, 6, "key image for the lecture", true});
  library.setBookmark({uid, 6, "updated note", true});
  const auto marks = library.bookmarks("Case 0001");
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].slice, 6);
  EXPECT_EQ(marks[0].note, "updated note");
  EXPECT_TRUE(marks[0].key_image);
  // Removing the study removes everything attached to it (foreign keys cascade).
  EXPECT_TRUE(library.removeStudy("Case 0001"));
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM slice_tags").toInt(), 0);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM bookmarks").toInt(), 0);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM ai_scores").toInt(), 0);
}

TEST_F(CaseLibraryTest, AMovedStudyShowsAsMissingUntilRelinked) {
  const fs::path scratch = lunglens::test::scratchDir("library-moved");
  fs::copy(ggo_->dir, scratch / "first", fs::copy_options::recursive);
  fs::create_directories(scratch / "empty");
  // The same study (same UIDs), imported from the copy.
  PhantomStudy moved = *ggo_;
  moved.dir = scratch / "first";
  for (auto& s : moved.series.slices) s.path = (scratch / "first" / fs::path(s.path).lexically_relative(ggo_->dir)).string();
  CaseLibrary library(file_);
  library.writeStudy(lunglens::test::recordFromTruth(moved));
  EXPECT_EQ(library.checkAvailability(), 0);
  fs::rename(scratch / "first", scratch / "second");
  EXPECT_EQ(library.checkAvailability(), 1);
  EXPECT_TRUE(library.studies().at(0).missing);
  auto rows = library.query({});
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& r : rows) EXPECT_TRUE(r.missing);
  QueryFilter present;
  present.include_missing = false;
  EXPECT_TRUE(library.query(present).empty());
  EXPECT_THROW(library.relink("Case 0001", scratch / "empty"), lunglens::core::InputError);
  EXPECT_EQ(library.relink("Case 0001", scratch / "second"), 1);
  EXPECT_FALSE(library.studies().at(0).missing);
  EXPECT_EQ(library.checkAvailability(), 0);
  for (const auto& r : library.query({})) {
    EXPECT_FALSE(r.missing);
    EXPECT_TRUE(fs::exists(r.file)) << r.file;
    EXPECT_NE(r.file.find("second"), std::string::npos) << r.file;
  }
}

TEST_F(CaseLibraryTest, ReadersOnTheirOwnConnectionGoOnWhileAWriterHoldsItsTransaction) {
  CaseLibrary writer(file_);
  writer.writeStudy(lunglens::test::recordFromTruth(*ggo_));
  Transaction open_write(writer.connection());
  writer.connection().exec("DELETE FROM studies");  // not committed
  // Another thread, another connection (Qt SQL connections are per thread): sees the committed state at once.
  auto reader = std::async(std::launch::async, [&] {
    CaseLibrary library(file_);
    return std::make_pair(library.studies().size(), library.query({}).size());
  });
  const auto [studies, rows] = reader.get();
  EXPECT_EQ(studies, 1u);
  EXPECT_EQ(rows, 12u);
}
