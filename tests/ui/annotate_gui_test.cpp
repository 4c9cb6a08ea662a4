// The annotation tools in the real main window on a real CT series under Xvfb: a length drawn with the mouse
// measures what the pixel spacing says, is drawn on the view, saved for the study and restored when the study is
// opened again; undo/redo and bookmarks go through the same path; the export of the current view is exactly
// ui/paint's composeExportImage of the same inputs, never overwrites silently and fails cleanly.
#include <QApplication>
#include <QClipboard>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

#include "app/gui/main_window.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/annotation/annotation_store.h"
#include "core/annotation/measurements.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"
#include "ui/annotate/annotation_layer.h"
#include "ui/annotate/annotation_tools.h"
#include "ui/annotate/view_placement.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

namespace fs = std::filesystem;
using namespace lunglens;
namespace ann = core::annotation;

namespace {

constexpr int kSlice = 30;

fs::path seriesDir() {
  return test::lungPetCtDx() / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
}

// Opens the series at kSlice in `window` and waits until it is loaded.
void openAndWait(gui::MainWindow& window) {
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  QSignalSpy failed(&window, &gui::MainWindow::failed);
  gui::OpenRequest request;
  request.slice = kSlice;
  window.openPath(QString::fromStdString(seriesDir().string()), request);
  ASSERT_TRUE(settled.wait(120000)) << "the series did not load";
  ASSERT_EQ(failed.count(), 0) << failed.first().first().toString().toStdString();
  ASSERT_EQ(window.viewer().slice(), kSlice);
  // Menu shortcuts need the window active (no window manager under Xvfb to do it).
  window.activateWindow();
  ASSERT_TRUE(QTest::qWaitForWindowActive(&window));
  QApplication::processEvents();
}

// The widget's own picture (VTK frame included).
QImage grabView(gui::MainWindow& window) { return window.sliceView().grabFramebuffer(); }

// Pixels in the annotation colours (yellow, or cyan when selected): strongly coloured, never found in a grey CT
// slice.
int annotationPixelsNear(const QImage& img, QPointF p, int radius) {
  int n = 0;
  for (int y = int(p.y()) - radius; y <= int(p.y()) + radius; ++y) {
    for (int x = int(p.x()) - radius; x <= int(p.x()) + radius; ++x) {
      if (!img.rect().contains(x, y)) continue;
      const QColor c = img.pixelColor(x, y);
      if (std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 120) ++n;
    }
  }
  return n;
}

}  // namespace

class AnnotateOnRealSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    test::guiApp();
    if (!fs::exists(seriesDir())) GTEST_FAIL() << "missing shared data " << seriesDir();
    storeDir_ = test::scratchDir("annotate-store");
  }
  // A main window that reports errors instead of asking, saving annotations into `store`, on screen with the
  // series open at kSlice.
  static void showWithSeries(gui::MainWindow& window, const fs::path& store) {
    window.setInteractiveErrors(false);
    window.annotate().setInteractiveErrors(false);
    window.annotate().setStore(ann::AnnotationStore(store));
    window.resize(1200, 900);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    openAndWait(window);
  }
  fs::path storeDir_;
};

TEST_F(AnnotateOnRealSeries, LengthDrawnWithTheMouseIsMeasuredSavedAndRestored) {
  const core::dicom::SeriesInfo* series = nullptr;
  ann::Annotation drawn;
  {
    gui::MainWindow window;
    showWithSeries(window, storeDir_);
    ASSERT_FALSE(HasFatalFailure());
    series = &window.seriesList().seriesAt(0);
    auto& view = window.sliceView();
    auto& model = window.viewer();

    // M picks the length tool (a menu shortcut); then a drag across the slice, as a reader would.
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_M);
    ASSERT_EQ(window.annotate().presenter().tool(), ui::annotate::Tool::Length);
    const auto place = ui::annotate::viewPlacement(model);
    const QPoint a = place.toPainter({180.0, 250.0}).toPoint(), b = place.toPainter({330.0, 290.0}).toPoint();
    QTest::mousePress(&view, Qt::LeftButton, {}, a);
    for (int i = 1; i <= 5; ++i) QTest::mouseMove(&view, a + (b - a) * i / 5);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, b);

    auto* doc = window.annotate().document();
    ASSERT_NE(doc, nullptr);
    ASSERT_EQ(doc->state().annotations.size(), 1u);
    drawn = doc->state().annotations[0];
    EXPECT_EQ(drawn.kind, ann::AnnotationKind::Length);
    EXPECT_EQ(drawn.slice, kSlice);
    EXPECT_EQ(drawn.series_uid, series->series_uid);
    EXPECT_EQ(drawn.sop_instance_uid, series->slices[kSlice].sop_instance_uid);
    // The ends are where the mouse was (whole screen pixels: within a voxel of the targets).
    EXPECT_NEAR(drawn.points[0].x, 180.0, 1.0);
    EXPECT_NEAR(drawn.points[0].y, 250.0, 1.0);
    EXPECT_NEAR(drawn.points[1].x, 330.0, 1.0);
    EXPECT_NEAR(drawn.points[1].y, 290.0, 1.0);
    // The length against DICOM PixelSpacing read from the file: (row spacing, column spacing).
    const double dc = drawn.points[1].x - drawn.points[0].x, dr = drawn.points[1].y - drawn.points[0].y;
    const double expected_mm = std::hypot(dc * series->pixel_spacing_mm[1], dr * series->pixel_spacing_mm[0]);
    EXPECT_NEAR(ann::lengthMm(drawn, model.volume()->geometry()), expected_mm, 1e-9);
    EXPECT_GT(expected_mm, 100.0);  // 150 columns of ~0.7-0.9 mm: a plausible chest measurement

    // It is on screen: coloured pixels along the line, none away from it.
    QApplication::processEvents();
    const QImage shot = grabView(window);
    EXPECT_EQ(window.annotate().layer().drawnCount(), 1);
    const QPointF mid = (QPointF(a) + QPointF(b)) / 2;
    EXPECT_GT(annotationPixelsNear(shot, mid, 4), 3);
    EXPECT_EQ(annotationPixelsNear(shot, mid + QPointF(0, 60), 4), 0);

    // Saved at once, atomically, for the study.
    const fs::path file = window.annotate().store().fileFor(series->study_uid);
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(ann::loadAnnotationsFile(file).annotations, doc->state().annotations);

    // Undo and redo by keyboard; the file follows.
    QTest::keyClick(&view, Qt::Key_Z, Qt::ControlModifier);
    EXPECT_TRUE(doc->state().annotations.empty());
    EXPECT_FALSE(fs::exists(file));  // an empty set removes the file
    QTest::keyClick(&view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_EQ(doc->state().annotations.size(), 1u);
    EXPECT_TRUE(fs::exists(file));

    // Esc (the select tool), then dragging the line by its middle moves it; saved when the drag ends.
    QTest::keyClick(&view, Qt::Key_Escape);
    ASSERT_EQ(window.annotate().presenter().tool(), ui::annotate::Tool::Select);
    const QPoint from = ((QPointF(a) + QPointF(b)) / 2).toPoint(), to = from + QPoint(0, 30);
    QTest::mousePress(&view, Qt::LeftButton, {}, from);
    for (int i = 1; i <= 5; ++i) QTest::mouseMove(&view, from + (to - from) * i / 5);
    QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
    const double rows_moved = 30.0 / ui::annotate::viewPlacement(model).pixelsPerRow();
    ASSERT_EQ(doc->state().annotations.size(), 1u);
    EXPECT_NEAR(doc->state().annotations[0].points[0].y, drawn.points[0].y + rows_moved, 1e-6);
    EXPECT_NEAR(doc->state().annotations[0].points[1].x, drawn.points[1].x, 1e-6);
    EXPECT_EQ(ann::loadAnnotationsFile(file).annotations, doc->state().annotations);
    QTest::keyClick(&view, Qt::Key_Z, Qt::ControlModifier);  // the whole drag is one step
    EXPECT_EQ(doc->state().annotations[0].points, drawn.points);
    EXPECT_EQ(ann::loadAnnotationsFile(file).annotations[0].points, drawn.points);

    // A bookmark with a note, also saved.
    window.annotate().bookmarkCurrentSlice("spiculated margin");
    EXPECT_EQ(ann::loadAnnotationsFile(file).bookmarks.size(), 1u);
  }
  // Reopening the study in a fresh window finds both.
  gui::MainWindow window;
  showWithSeries(window, storeDir_);
  ASSERT_FALSE(HasFatalFailure());
  auto* doc = window.annotate().document();
  ASSERT_NE(doc, nullptr);
  ASSERT_EQ(doc->state().annotations.size(), 1u);
  EXPECT_EQ(doc->state().annotations[0].points, drawn.points);
  ASSERT_EQ(doc->state().bookmarks.size(), 1u);
  EXPECT_EQ(doc->state().bookmarks[0].note, "spiculated margin");
  EXPECT_EQ(doc->state().bookmarks[0].slice, kSlice);
  grabView(window);
  EXPECT_EQ(window.annotate().layer().drawnCount(), 1);
  // Another slice shows none of it.
  window.viewer().setSlice(kSlice + 1);
  grabView(window);
  EXPECT_EQ(window.annotate().layer().drawnCount(), 0);
}

TEST_F(AnnotateOnRealSeries, ExportOfTheCurrentViewIsTheComposedImageAndNeverOverwritesSilently) {
  gui::MainWindow window;
  showWithSeries(window, test::scratchDir("annotate-export-store"));
  ASSERT_FALSE(HasFatalFailure());
  auto& tools = window.annotate();
  auto& model = window.viewer();
  const auto& series = window.seriesList().seriesAt(0);
  // An ellipse ROI, through the presenter (the mouse path is tested above), and a zoomed, panned view.
  tools.setTool(ui::annotate::Tool::Ellipse);
  auto place = ui::annotate::viewPlacement(model);
  tools.presenter().press(place.toPainter({200, 220}), place);
  tools.presenter().release(place.toPainter({260, 270}), place);
  tools.bookmarkCurrentSlice("key image");
  model.zoomAt(1.6, {500, 400});
  model.panBy(-40, 25);
  ASSERT_EQ(tools.document()->state().annotations.size(), 1u);

  const fs::path dir = test::scratchDir("annotate-export");
  ui::annotate::ExportRequest request;
  request.file = dir / "view.png";
  request.size.scale = 2.0;
  // The first composition in a process draws the halo text's edges a little differently from every later one (a
  // Qt font engine warm-up, seen in ui/paint's halo text): compose once so the comparison below is like for like.
  (void)tools.currentViewImage({2.0, 0, 0});
  const auto files = tools.exportImages(request);
  ASSERT_EQ(files.size(), 1u);
  const QImage written(QString::fromStdString(files[0].string()));
  ASSERT_FALSE(written.isNull());

  // The same inputs composed independently: the viewer's slice, window, region and the study's annotations.
  ui::paint::ExportView view;
  const auto hu = core::dicom::loadSlice(series, kSlice);
  view.hu = hu.data();
  view.geometry = model.volume()->geometry();
  view.slice = kSlice;
  view.slice_count = model.sliceCount();
  view.slice_position_mm = series.slices[kSlice].position_along_normal_mm;
  view.window = model.window();
  view.annotations = tools.document()->state().onSlice(series.series_uid, kSlice);
  view.series = series;
  view.region_mm = ui::annotate::visibleRegion_mm(model);
  EXPECT_LT(view.region_mm->width(), model.layout().width_mm());  // the zoomed part, not the whole slice
  const QImage expected = ui::paint::composeExportImage(view, {2.0, 0, 0});
  EXPECT_EQ(written.size(), expected.size());
  EXPECT_TRUE(written.convertToFormat(QImage::Format_RGB32) == expected.convertToFormat(QImage::Format_RGB32));
  // Anonymized by default: the image does not change when the patient's name does.
  view.series.patient_name = "SOMEONE^ELSE";
  EXPECT_TRUE(ui::paint::composeExportImage(view, {2.0, 0, 0}).convertToFormat(QImage::Format_RGB32) ==
              written.convertToFormat(QImage::Format_RGB32));

  // Never overwritten silently; with the reader's consent it is.
  const auto before = fs::last_write_time(files[0]);
  request.size.scale = 1.0;
  EXPECT_THROW(tools.exportImages(request), core::InputError);
  EXPECT_EQ(fs::last_write_time(files[0]), before);
  EXPECT_EQ(QImage(QString::fromStdString(files[0].string())).size(), expected.size());
  request.overwrite = true;
  tools.exportImages(request);
  EXPECT_EQ(QImage(QString::fromStdString(files[0].string())).size(), ui::paint::composeExportImage(view, {}).size());

  // A folder that cannot be written: an error naming the file, and nothing left behind.
  ui::annotate::ExportRequest bad;
  bad.file = dir / "no-such-folder" / "view.png";
  EXPECT_THROW(tools.exportImages(bad), core::InputError);
  EXPECT_FALSE(fs::exists(dir / "no-such-folder"));

  // Bookmarked slices as a batch, beside the chosen name; a JPEG at an exact size.
  ui::annotate::ExportRequest batch;
  batch.what = ui::annotate::ExportWhat::Bookmarked;
  batch.file = dir / "key.jpg";
  batch.size = {1.0, 800, 600};
  const auto keys = tools.exportImages(batch);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], dir / "key-im-034.jpg");  // slice index 30 is DICOM image 34 (docs/NUMBERING.md)
  EXPECT_EQ(QImage(QString::fromStdString(keys[0].string())).size(), QSize(800, 600));
  int left = 0;
  for (const auto& e : fs::directory_iterator(dir)) left += e.path().filename().string().find(".tmp") != std::string::npos;
  EXPECT_EQ(left, 0);  // no temporary files

  // Copy to the clipboard: the current view's image (1x).
  tools.copyToClipboard();
  const QImage copied = QApplication::clipboard()->image();
  EXPECT_EQ(copied.size(), ui::paint::composeExportImage(view, {}).size());
}

TEST_F(AnnotateOnRealSeries, AnUnreadableSavedFileIsReportedAndNeverOverwritten) {
  gui::MainWindow window;
  showWithSeries(window, storeDir_);
  ASSERT_FALSE(HasFatalFailure());
  const std::string study = window.seriesList().seriesAt(0).study_uid;
  const fs::path file = window.annotate().store().fileFor(study);
  fs::create_directories(file.parent_path());
  const std::string garbage = "{\"format\": \"lunglens-annotations\", \"version\": 1, \"annotations\": [{\"kind\": \"blob\"}";
  std::ofstream(file) << garbage;

  QSignalSpy messages(&window.annotate(), &ui::annotate::AnnotationTools::message);
  openAndWait(window);  // the study again, now with a broken file
  ASSERT_NE(window.annotate().document(), nullptr);
  EXPECT_TRUE(window.annotate().document()->state().annotations.empty());
  bool reported = false;
  for (const auto& m : messages) reported = reported || m.first().toString().contains("could not be read");
  EXPECT_TRUE(reported);
  // Editing still works in the session, but the reader's file is left as it was.
  window.annotate().bookmarkCurrentSlice("note");
  EXPECT_EQ(window.annotate().document()->state().bookmarks.size(), 1u);
  std::ifstream in(file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), garbage);
}
