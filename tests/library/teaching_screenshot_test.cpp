// The gallery and presentation mode on screen (Xvfb): double-click asks the viewer to open the case at the slice,
// the keyboard drives the quiz, nothing identifying is shown, and the screenshots for docs/screenshots (written
// there when LUNGLENS_WRITE_DOCS_SCREENSHOTS is set, else only into the build folder).
#include <gtest/gtest.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QListView>
#include <QSignalSpy>
#include <QTest>
#include <QWheelEvent>
#include <cstdlib>
#include <memory>

#include "app/gui/main_window.h"
#include "core/library/case_library.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"
#include "tests/ui/qt_app.h"
#include "ui/teaching/gallery_model.h"
#include "ui/teaching/gallery_view.h"
#include "ui/teaching/library_controller.h"
#include "ui/teaching/presentation_window.h"
#include "ui/teaching/quiz_model.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
using namespace lunglens::core::library;
using namespace lunglens::ui::teaching;

namespace {

struct Library {
  fs::path file;
  std::vector<lunglens::test::PhantomStudy> studies;
};

// Four 256 x 256 phantoms (GGO, consolidation, fibrotic streaks, normal) with truth-derived results and maps.
const Library& library() {
  static Library* lib = [] {
    auto* out = new Library;
    const fs::path root = lunglens::test::scratchDir("teaching-screens");
    out->file = root / "library.sqlite";
    const std::vector<std::pair<ph::Diagnosis, std::vector<ph::Finding>>> kinds = {
        {ph::Diagnosis::Covid, {ph::Finding::Ggo}},
        {ph::Diagnosis::Covid, {ph::Finding::Consolidation}},
        {ph::Diagnosis::Covid, {ph::Finding::FibroticStreaks}},
        {ph::Diagnosis::Normal, {}}};
    CaseLibrary db(out->file);
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      out->studies.push_back(lunglens::test::writeSmallPhantom(root / ("study" + std::to_string(i)), 40 + i,
                                                                kinds[i].first, kinds[i].second, 256, 24));
      db.writeStudy(lunglens::test::recordFromTruth(out->studies.back(), true));
    }
    db.setTeacherLabel(out->studies[0].series.series_uid, 12, {"covid", {"ggo"}, "peripheral, posterior, bilateral"});
    return out;
  }();
  return *lib;
}

bool settle(GalleryModel& model) {
  QElapsedTimer timer;
  timer.start();
  while (model.thumbnailsPending() && timer.elapsed() < 60000) QApplication::processEvents(QEventLoop::AllEvents, 50);
  QApplication::processEvents();
  return !model.thumbnailsPending();
}

void save(const QImage& image, const std::string& name) {
  ASSERT_FALSE(image.isNull());
  const fs::path build = lunglens::test::binaryDir() / "test-scratch" / name;
  ASSERT_TRUE(image.save(QString::fromStdString(build.string())));
  if (std::getenv("LUNGLENS_WRITE_DOCS_SCREENSHOTS")) {
    const fs::path docs = lunglens::test::sourceDir() / "docs" / "screenshots" / name;
    fs::create_directories(docs.parent_path());
    ASSERT_TRUE(image.save(QString::fromStdString(docs.string())));
  }
}

// The main window on a copy of the test library (it uses the one in the user's data folder: point that at the
// copy). LUNGLENS_DATA_DIR is reset when the guard goes.
struct MainWindowOnLibrary {
  explicit MainWindowOnLibrary(const std::string& name) {
    const fs::path data = lunglens::test::scratchDir(name);
    fs::copy_file(library().file, data / "library.sqlite");
    qputenv("LUNGLENS_DATA_DIR", QByteArray::fromStdString(data.string()));
    window = std::make_unique<lunglens::gui::MainWindow>();
    window->setInteractiveErrors(false);
  }
  ~MainWindowOnLibrary() {
    window.reset();
    qunsetenv("LUNGLENS_DATA_DIR");
  }
  std::unique_ptr<lunglens::gui::MainWindow> window;
};

}  // namespace

TEST(TeachingUi, GalleryShowsFilteredThumbnailsAndOpensTheCaseAtTheSlice) {
  lunglens::test::guiApp();
  GalleryModel model(library().file);
  model.setThumbnailSize(150);
  GalleryView view(&model);
  view.resize(1280, 800);
  view.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
  view.setFilterControls("ai", "covid", "", 0.0, true);
  ASSERT_TRUE(settle(model));
  ASSERT_GT(model.rowCount(), 12);
  for (int i = 0; i < model.rowCount(); ++i) EXPECT_EQ(model.item(i).ai_diagnosis, "covid");
  save(lunglens::ui::grabWithViews(view).toImage(), "gallery.png");

  QSignalSpy open(&view, &GalleryView::openRequested);
  const QModelIndex third = model.index(2);
  const QRect cell = view.list().visualRect(third);
  QTest::mouseClick(view.list().viewport(), Qt::LeftButton, {}, cell.center());
  QTest::mouseDClick(view.list().viewport(), Qt::LeftButton, {}, cell.center());
  ASSERT_EQ(open.count(), 1);
  const auto& row = model.item(2);
  EXPECT_EQ(open[0][0].toString().toStdString(), fs::path(row.file).parent_path().string());
  EXPECT_EQ(open[0][1].toString().toStdString(), row.series_uid);
  EXPECT_EQ(open[0][2].toInt(), row.slice);
}

TEST(TeachingUi, PresentationModeIsAQuizDrivenByTheKeyboardWithoutIdentifyingText) {
  lunglens::test::guiApp();
  GalleryModel model(library().file);
  QueryFilter f;
  f.manifestation = "ggo";
  model.setFilter(f);
  ASSERT_GT(model.rowCount(), 1);
  QuizModel quiz;
  // Start on the slice the teacher labelled.
  int start = 0;
  for (int i = 0; i < model.rowCount(); ++i)
    if (model.item(i).teacher) start = i;
  quiz.setItems(model.items(), start);
  PresentationWindow window(&quiz);
  window.resize(1280, 800);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  EXPECT_FALSE(window.visibleText().contains("AI:"));
  EXPECT_FALSE(window.visibleText().contains("Teacher:"));
  QTest::keyClick(&window, Qt::Key_Space);
  EXPECT_TRUE(quiz.revealed());
  EXPECT_TRUE(window.visibleText().contains("AI: COVID-19 ")) << window.visibleText().toStdString();
  EXPECT_TRUE(window.visibleText().contains("Teacher: COVID-19 · Ground-glass opacity"));
  QTest::keyClick(&window, Qt::Key_H);
  EXPECT_TRUE(window.heatmapShown());
  QApplication::processEvents();
  save(lunglens::ui::grabWithViews(window).toImage(), "presentation.png");

  const int at = quiz.index();
  QTest::keyClick(&window, at + 1 < quiz.count() ? Qt::Key_Right : Qt::Key_Left);
  EXPECT_NE(quiz.index(), at);
  EXPECT_FALSE(quiz.revealed());
  EXPECT_FALSE(window.heatmapShown());
  QTest::keyClick(&window, Qt::Key_H);  // no map before the answer
  EXPECT_FALSE(window.heatmapShown());
  // Nothing identifying on any item, revealed or not.
  quiz.setItems(model.items());
  do {
    for (bool revealed : {false, true}) {
      quiz.setRevealed(revealed);
      const QString text = window.visibleText();
      for (const auto& s : library().studies)
        for (const std::string& id : {s.series.patient_name, s.series.patient_id, s.series.study_uid,
                                      s.series.series_uid, s.series.study_date, s.series.institution})
          if (!id.empty()) {
            EXPECT_FALSE(text.contains(QString::fromStdString(id))) << id;
          }
    }
  } while (quiz.next());
  QSignalSpy closed(&window, &PresentationWindow::closed);
  QTest::keyClick(&window, Qt::Key_Escape);
  EXPECT_EQ(closed.count(), 1);
}

TEST(TeachingUi, TheMainWindowsGalleryOpensTheCaseAtTheSliceInTheViewer) {
  lunglens::test::guiApp();
  MainWindowOnLibrary on("teaching-userdata");
  lunglens::gui::MainWindow& window = *on.window;
  ASSERT_NE(window.library(), nullptr);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  LibraryController& controller = *window.library();
  controller.showGallery();
  controller.galleryView().setFilterControls("ai", "covid", "consolidation", 0.0, false);
  ASSERT_TRUE(settle(controller.gallery()));
  ASSERT_GT(controller.gallery().rowCount(), 3);
  const auto row = controller.gallery().item(3);
  QSignalSpy settled(&window, &lunglens::gui::MainWindow::settled);
  QListView& list = controller.galleryView().list();
  list.scrollTo(controller.gallery().index(3));
  const QPoint centre = list.visualRect(controller.gallery().index(3)).center();
  QTest::mouseClick(list.viewport(), Qt::LeftButton, {}, centre);
  QTest::mouseDClick(list.viewport(), Qt::LeftButton, {}, centre);
  ASSERT_TRUE(settled.wait(120000)) << "the case did not open";
  ASSERT_EQ(window.seriesList().rowCount(), 1);
  EXPECT_EQ(window.seriesList().seriesAt(0).series_uid, row.series_uid);
  EXPECT_EQ(window.viewer().slice(), row.slice);
}

// Issue 18, from the main window as a teacher uses it: the gallery's "Teacher" filter alone finds the labelled
// slice; in presentation mode H shows the heatmap (the viewer's application-wide H shortcut took the key before),
// and the quiz item is a short stack of slices to scroll and window.
TEST(TeachingUi, PresentationFromTheMainWindowShowsTheHeatmapAndAStackToScrollAndWindow) {
  lunglens::test::guiApp();
  MainWindowOnLibrary on("teaching-present-userdata");
  lunglens::gui::MainWindow& window = *on.window;
  ASSERT_NE(window.library(), nullptr);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  LibraryController& controller = *window.library();
  controller.showGallery();
  controller.galleryView().setFilterControls("teacher", "", "", 0.0, false);
  ASSERT_TRUE(settle(controller.gallery()));
  ASSERT_EQ(controller.gallery().rowCount(), 1) << "the one slice a teacher labelled";
  EXPECT_EQ(controller.gallery().item(0).slice, 12);

  controller.present(0);
  PresentationWindow* present = controller.presentation();
  ASSERT_NE(present, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(present));
  EXPECT_EQ(present->stackSize(), 5);
  EXPECT_EQ(present->shownSlice(), 12);
  QTest::keyClick(present, Qt::Key_Space);
  ASSERT_TRUE(controller.quiz().revealed());
  const QImage plain = present->shownPicture().copy();
  QTest::keyClick(present, Qt::Key_H);
  EXPECT_TRUE(present->heatmapShown());
  EXPECT_NE(present->shownPicture(), plain) << "H draws the Grad-CAM map over the slice";

  // Scroll the stack and window it; the quiz item and its answers stay.
  QTest::keyClick(present, Qt::Key_Period);
  EXPECT_EQ(present->shownSlice(), 13);
  QTest::keyClick(present, Qt::Key_Period);
  QTest::keyClick(present, Qt::Key_Period);  // clamped to the stack
  EXPECT_EQ(present->shownSlice(), 14);
  QWheelEvent wheel(QPointF(100, 100), present->mapToGlobal(QPointF(100, 100)), {}, QPoint(0, 240), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(present, &wheel);
  EXPECT_EQ(present->shownSlice(), 12);
  const QImage lung = present->shownPicture().copy();
  QTest::keyClick(present, Qt::Key_W);
  EXPECT_EQ(present->displayWindow().name, "mediastinum");
  EXPECT_NE(present->shownPicture(), lung);
  EXPECT_TRUE(controller.quiz().revealed());
  EXPECT_EQ(controller.quiz().index(), 0);
  EXPECT_TRUE(present->visibleText().contains("stack 3 / 5")) << present->visibleText().toStdString();
  present->close();
}
