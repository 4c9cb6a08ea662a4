// The gallery's presenter model and the quiz presenter, without a display (offscreen Qt): filtered rows sorted by
// score, captions, thumbnails decoded off the UI thread (real slice pixels, heatmap on request, placeholder for a
// missing file), reads going on while another connection writes, and quiz text free of patient identity.
#include <gtest/gtest.h>

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QSignalSpy>

#include "core/library/case_library.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"
#include "ui/teaching/gallery_model.h"
#include "ui/teaching/library_import_job.h"
#include "ui/teaching/quiz_model.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
using namespace lunglens::core::library;
using lunglens::ui::teaching::GalleryModel;
using lunglens::ui::teaching::QuizModel;

namespace {

QGuiApplication& app() {
  static int argc = 1;
  static char name[] = "test-gallery";
  static char* argv[] = {name, nullptr};
  if (!QGuiApplication::instance()) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    new QGuiApplication(argc, argv);
  }
  return *static_cast<QGuiApplication*>(QGuiApplication::instance());
}

class GalleryModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    app();
    const fs::path root = lunglens::test::suiteScratchDir("gallery-phantoms");
    ggo_ = new lunglens::test::PhantomStudy(
        lunglens::test::writeSmallPhantom(root / "ggo", 31, ph::Diagnosis::Covid, {ph::Finding::Ggo}));
    normal_ = new lunglens::test::PhantomStudy(lunglens::test::writeSmallPhantom(root / "normal", 32, ph::Diagnosis::Normal));
  }
  static void TearDownTestSuite() {
    fs::remove_all(ggo_->dir.parent_path());
    delete ggo_;
    delete normal_;
  }
  void SetUp() override {
    file_ = lunglens::test::scratchDir("gallery-db") / "library.sqlite";
    CaseLibrary library(file_);
    library.writeStudy(lunglens::test::recordFromTruth(*ggo_, true));
    library.writeStudy(lunglens::test::recordFromTruth(*normal_));
    library.setTeacherLabel(normal_->series.series_uid, 4, {"covid", {"ggo"}, "the teacher disagrees"});
  }
  static bool waitForThumbnails(GalleryModel& model) {
    QElapsedTimer timer;
    timer.start();
    while (model.thumbnailsPending() && timer.elapsed() < 60000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    return !model.thumbnailsPending();
  }
  static lunglens::test::PhantomStudy* ggo_;
  static lunglens::test::PhantomStudy* normal_;
  fs::path file_;
};

lunglens::test::PhantomStudy* GalleryModelTest::ggo_ = nullptr;
lunglens::test::PhantomStudy* GalleryModelTest::normal_ = nullptr;

double greySpread(const QImage& image) {
  int lo = 255, hi = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const int g = qGray(image.pixel(x, y));
      lo = std::min(lo, g);
      hi = std::max(hi, g);
    }
  return hi - lo;
}

int colouredPixels(const QImage& image) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QRgb p = image.pixel(x, y);
      n += std::abs(qRed(p) - qBlue(p)) > 40 ? 1 : 0;
    }
  return n;
}

}  // namespace

TEST_F(GalleryModelTest, FiltersSortsAndCaptionsTheSlicesOfEveryCase) {
  GalleryModel model(file_);
  QueryFilter f;
  f.manifestation = "ggo";
  model.setFilter(f);
  // AI GGO slices of the GGO phantom, plus the normal phantom's slice the teacher calls GGO.
  int from_ggo = 0, from_normal = 0;
  double previous = 2.0;
  for (int i = 0; i < model.rowCount(); ++i) {
    const QModelIndex index = model.index(i);
    const QVariant score = model.data(index, GalleryModel::ScoreRole);
    const double s = score.isValid() ? score.toDouble() : -1.0;
    EXPECT_LE(s, previous) << "row " << i << " out of score order";
    previous = s;
    const auto& row = model.item(i);
    (row.series_uid == ggo_->series.series_uid ? from_ggo : from_normal) += 1;
    EXPECT_TRUE(model.data(index, Qt::DisplayRole).toString().startsWith(QString::fromStdString(row.study_label)));
  }
  EXPECT_GT(from_ggo, 0);
  EXPECT_EQ(from_normal, 1);
  const int teacher_row = model.rowCount() - 1;  // no P(ggo): sorted last
  EXPECT_EQ(model.item(teacher_row).series_uid, normal_->series.series_uid);
  const QString caption = model.data(model.index(teacher_row), Qt::DisplayRole).toString();
  EXPECT_TRUE(caption.contains("slice 5/12")) << caption.toStdString();
  EXPECT_TRUE(caption.contains("AI: Normal")) << caption.toStdString();
  EXPECT_TRUE(caption.contains("Teacher: COVID-19")) << caption.toStdString();

  f.source = QueryFilter::Source::Teacher;
  model.setFilter(f);
  EXPECT_EQ(model.rowCount(), 1);
  f = {};
  f.diagnosis = "normal";
  f.source = QueryFilter::Source::Ai;
  model.setFilter(f);
  EXPECT_GE(model.rowCount(), 12);
}

TEST_F(GalleryModelTest, ThumbnailsAreTheRealSlicesWithTheHeatmapOnRequestAndAPlaceholderWhenMissing) {
  GalleryModel model(file_);
  model.setThumbnailSize(96);
  QueryFilter f;
  f.diagnosis = "covid";
  f.source = QueryFilter::Source::Ai;
  model.setFilter(f);
  ASSERT_GT(model.rowCount(), 0);
  ASSERT_TRUE(waitForThumbnails(model));
  for (int i = 0; i < model.rowCount(); ++i) {
    EXPECT_TRUE(model.data(model.index(i), GalleryModel::ThumbnailReadyRole).toBool());
    const QImage thumb = model.data(model.index(i), Qt::DecorationRole).value<QImage>();
    ASSERT_EQ(thumb.size(), QSize(96, 96));
    EXPECT_GT(greySpread(thumb), 100) << "row " << i << " is not a CT slice";
    EXPECT_EQ(colouredPixels(thumb), 0);
  }
  // A refresh (as after each study an import commits) shows the thumbnails already made at once.
  model.refresh();
  for (int i = 0; i < model.rowCount(); ++i)
    EXPECT_TRUE(model.data(model.index(i), GalleryModel::ThumbnailReadyRole).toBool()) << "row " << i;
  ASSERT_TRUE(waitForThumbnails(model));
  model.setHeatmap(true);
  EXPECT_FALSE(model.data(model.index(0), GalleryModel::ThumbnailReadyRole).toBool()) << "heatmap needs new ones";
  ASSERT_TRUE(waitForThumbnails(model));
  int with_colour = 0;
  for (int i = 0; i < model.rowCount(); ++i)
    with_colour += colouredPixels(model.data(model.index(i), Qt::DecorationRole).value<QImage>()) > 0 ? 1 : 0;
  EXPECT_GT(with_colour, 0);

  // The GGO phantom's files go away: after a check, its rows are marked missing and get a placeholder.
  fs::rename(ggo_->dir, ggo_->dir.string() + "-moved");
  {
    CaseLibrary library(file_);
    EXPECT_EQ(library.checkAvailability(), 1);
  }
  model.refresh();
  ASSERT_TRUE(waitForThumbnails(model));
  for (int i = 0; i < model.rowCount(); ++i) {
    EXPECT_TRUE(model.data(model.index(i), GalleryModel::MissingRole).toBool());
    EXPECT_FALSE(model.data(model.index(i), GalleryModel::ThumbnailReadyRole).toBool());
  }
  fs::rename(ggo_->dir.string() + "-moved", ggo_->dir);
}

TEST_F(GalleryModelTest, ReadsGoOnWhileAnotherConnectionIsWriting) {
  GalleryModel model(file_);
  model.refresh();
  const int before = model.rowCount();
  ASSERT_EQ(before, 24);
  CaseLibrary writer(file_);
  Transaction transaction(writer.connection());
  writer.connection().exec("DELETE FROM slices");
  model.refresh();  // would wait for the busy timeout (30 s) and then fail without WAL
  EXPECT_EQ(model.rowCount(), before);
}

TEST_F(GalleryModelTest, TheQuizRevealsTheAiAndTheTeacherAndNeverNamesThePatient) {
  GalleryModel model(file_);
  QueryFilter f;
  f.manifestation = "ggo";
  model.setFilter(f);
  QuizModel quiz;
  QSignalSpy changed(&quiz, &QuizModel::changed);
  quiz.setItems(model.items(), model.rowCount() - 1);  // the teacher's slice
  EXPECT_EQ(quiz.position(), QString("%1 / %1").arg(model.rowCount()));
  EXPECT_FALSE(quiz.revealed());
  EXPECT_TRUE(quiz.prompt().contains("slice 5 of 12"));
  EXPECT_FALSE(quiz.next());
  quiz.setRevealed(true);
  EXPECT_TRUE(quiz.aiAnswer().startsWith("AI: Normal 90%")) << quiz.aiAnswer().toStdString();
  EXPECT_EQ(quiz.teacherAnswer(), "Teacher: COVID-19 · Ground-glass opacity — the teacher disagrees");
  EXPECT_TRUE(quiz.disclaimer().contains("synthetic"));
  ASSERT_TRUE(quiz.previous());
  EXPECT_FALSE(quiz.revealed()) << "moving on hides the answers again";
  EXPECT_TRUE(quiz.aiAnswer().contains("Ground-glass opacity 80%")) << quiz.aiAnswer().toStdString();
  EXPECT_GE(changed.count(), 3);

  // Case by case: the items come sorted by score, so cases interleave; nextCase lands on another study.
  quiz.setItems(model.items());
  const auto first_study = quiz.current()->study_id;
  ASSERT_TRUE(quiz.nextCase());  // the GGO phantom's slices, then the normal phantom's teacher-labelled one
  EXPECT_NE(quiz.current()->study_id, first_study);
  EXPECT_NE(quiz.current()->study_id, model.item(quiz.index() - 1).study_id);
  EXPECT_FALSE(quiz.revealed());
  const int landed = quiz.index();
  ASSERT_TRUE(quiz.previousCase());
  EXPECT_LT(quiz.index(), landed);
  EXPECT_EQ(quiz.current()->study_id, model.item(landed - 1).study_id);
  EXPECT_TRUE(quiz.index() == 0 || model.item(quiz.index() - 1).study_id != quiz.current()->study_id);

  // Nothing identifying in anything the quiz says, on any item.
  const auto& h = ggo_->series;
  quiz.setItems(model.items());
  do {
    quiz.setRevealed(true);
    const QString all = quiz.prompt() + quiz.aiAnswer() + quiz.teacherAnswer() + quiz.disclaimer();
    for (const std::string& id : {h.patient_name, h.patient_id, h.study_uid, h.series_uid, h.study_date,
                                  h.accession_number, normal_->series.patient_name, normal_->series.series_uid})
      if (!id.empty()) {
        EXPECT_FALSE(all.contains(QString::fromStdString(id))) << id;
      }
  } while (quiz.next());
}

TEST_F(GalleryModelTest, TheTeachersLabelAndTagsAreSavedAndShownInPlace) {
  GalleryModel model(file_);
  QueryFilter f;
  f.diagnosis = "normal";
  f.source = QueryFilter::Source::Ai;
  model.setFilter(f);
  ASSERT_GT(model.rowCount(), 2);
  const auto row = model.item(2);
  model.setTeacherLabel(2, {"other_pneumonia", {}, "look again"});
  model.addTag(2, "quiz");
  const QString caption = model.data(model.index(2), Qt::DisplayRole).toString();
  EXPECT_TRUE(caption.contains("Teacher: Other pneumonia")) << caption.toStdString();
  EXPECT_TRUE(caption.contains("#quiz")) << caption.toStdString();
  {
    CaseLibrary other(file_);  // saved: another connection sees it
    const auto label = other.teacherLabel(row.series_uid, row.slice);
    ASSERT_TRUE(label);
    EXPECT_EQ(label->note, "look again");
    EXPECT_EQ(other.tags(row.series_uid, row.slice), std::vector<std::string>{"quiz"});
  }
  model.setTeacherLabel(2, {});  // clears it
  EXPECT_FALSE(model.item(2).teacher.has_value());
  EXPECT_FALSE(CaseLibrary(file_).teacherLabel(row.series_uid, row.slice).has_value());
}

TEST_F(GalleryModelTest, TheBackgroundImportJobCommitsStudiesTheGalleryThenShows) {
  // A fresh library; the job opens its own connection on its own thread.
  const fs::path file = lunglens::test::scratchDir("gallery-import") / "library.sqlite";
  GalleryModel model(file);
  model.refresh();
  EXPECT_EQ(model.rowCount(), 0);
  lunglens::ui::teaching::LibraryImportJob job(file);
  QSignalSpy imported(&job, &lunglens::ui::teaching::LibraryImportJob::studyImported);
  QSignalSpy finished(&job, &lunglens::ui::teaching::LibraryImportJob::finished);
  QSignalSpy failed(&job, &lunglens::ui::teaching::LibraryImportJob::failed);
  QObject::connect(&job, &lunglens::ui::teaching::LibraryImportJob::studyImported, &model, &GalleryModel::refresh);
  job.start({QString::fromStdString(ggo_->dir.string()), QString::fromStdString(normal_->dir.string())});
  EXPECT_TRUE(job.busy());
  ASSERT_TRUE(finished.wait(120000)) << (failed.isEmpty() ? "" : failed[0][0].toString().toStdString());
  EXPECT_EQ(imported.count(), 2);
  EXPECT_EQ(model.rowCount(), 24);  // refreshed on each committed study, on the UI thread's own connection
  EXPECT_FALSE(job.busy());
}
