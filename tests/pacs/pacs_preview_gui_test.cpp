// The main window's side of a progressive PACS retrieval, on the shared A0001 series under Xvfb: the dialog's
// previews (built here from the files in the order a PACS sends them, by InstanceNumber) are shown in the viewer,
// a refresh keeps the reader's place and window, no AI or lung analysis runs on a partial series, the complete
// folder opens at the same place with the analysis on every slice, and a cancel closes the preview.
// (The dialog's side, against the real Orthanc, is pacs_progressive_test.cpp.)
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <algorithm>
#include <cmath>

#include "app/gui/main_window.h"
#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/pacs/pacs_dialog.h"
#include "ui/viewer/viewer_model.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

fs::path seriesDir() {
  return test::lungPetCtDx() / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
}

// The series' files in InstanceNumber order (as a PACS sends them), the first `n`, as a preview of 64.
ui::pacs::SeriesPreview previewOfFirst(const core::dicom::SeriesInfo& s, int n) {
  std::vector<core::dicom::SliceRef> byInstance = s.slices;
  std::sort(byInstance.begin(), byInstance.end(),
            [](const auto& a, const auto& b) { return a.instance_number < b.instance_number; });
  std::vector<fs::path> files;
  for (int i = 0; i < n; ++i) files.emplace_back(byInstance[static_cast<std::size_t>(i)].path);
  return ui::pacs::buildPreview(files, s.series_uid, static_cast<int>(s.slices.size()), {});
}

double shownPosition(const gui::MainWindow& w) { return w.viewer().volume()->slicePosition_mm(w.viewer().slice()); }

}  // namespace

TEST(PacsPreviewInViewer, ShownWhileArrivingThenOpenedCompleteAtTheSamePlace) {
  test::guiApp();
  const auto catalog = core::dicom::scan(seriesDir());
  ASSERT_EQ(catalog.series.size(), 1u);
  const auto& s = catalog.series[0];
  ASSERT_EQ(s.slices.size(), 64u);
  gui::MainWindow w;
  w.setInteractiveErrors(false);
  w.show();
  ui::pacs::PacsDialog& dialog = w.pacsDialog();

  // The first batch: 16 slices on screen, no AI, no lung analysis.
  emit dialog.previewReady(previewOfFirst(s, 16));
  ASSERT_TRUE(w.showingPacsPreview());
  ASSERT_EQ(w.viewer().sliceCount(), 16);
  EXPECT_TRUE(w.viewer().currentSliceReady());
  EXPECT_FALSE(w.ai().scores().hasSeries());
  EXPECT_TRUE(w.ai().lung().model().seriesUid().empty());
  EXPECT_FALSE(w.ai().lung().busy());

  // The reader scrolls and changes the window; more arrive: the same position and window on a bigger stack.
  w.viewer().setSlice(3);
  const double position = shownPosition(w);
  core::volume::Window window;
  window.width = 400;
  window.level = 40;
  w.viewer().setWindow(window);
  emit dialog.previewReady(previewOfFirst(s, 40));
  ASSERT_EQ(w.viewer().sliceCount(), 40);
  EXPECT_DOUBLE_EQ(shownPosition(w), position);
  EXPECT_EQ(w.viewer().window().width, window.width);
  EXPECT_EQ(w.viewer().window().level, window.level);
  EXPECT_FALSE(w.ai().scores().hasSeries());
  EXPECT_TRUE(w.ai().lung().model().seriesUid().empty());

  // The last image is in: the complete folder opens at the same place and window, and the analysis runs on it.
  QSignalSpy settled(&w, &gui::MainWindow::settled);
  emit dialog.openRequested(QString::fromStdString(seriesDir().string()), QString::fromStdString(s.series_uid));
  ASSERT_TRUE(settled.wait(120000));
  EXPECT_FALSE(w.showingPacsPreview());
  ASSERT_EQ(w.viewer().sliceCount(), 64);
  EXPECT_EQ(w.viewer().volume()->readySliceCount(), 64);
  EXPECT_DOUBLE_EQ(shownPosition(w), position);
  EXPECT_EQ(w.viewer().window().width, window.width);
  EXPECT_EQ(w.ai().lung().model().seriesUid(), s.series_uid);
  EXPECT_EQ(w.ai().lung().model().sliceCount(), 64);
}

TEST(PacsPreviewInViewer, CancelClosesThePreview) {
  test::guiApp();
  const auto catalog = core::dicom::scan(seriesDir());
  ASSERT_EQ(catalog.series.size(), 1u);
  gui::MainWindow w;
  w.setInteractiveErrors(false);
  ui::pacs::PacsDialog& dialog = w.pacsDialog();
  emit dialog.previewReady(previewOfFirst(catalog.series[0], 8));
  ASSERT_EQ(w.viewer().sliceCount(), 8);
  emit dialog.previewClosed();
  EXPECT_FALSE(w.showingPacsPreview());
  EXPECT_FALSE(w.viewer().hasVolume());
}

// The reader opens another series while a retrieval is previewed: that retrieval's later previews stay off screen
// (they would replace what the reader chose); a new retrieval is shown again.
TEST(PacsPreviewInViewer, OpeningAnotherSeriesLeavesThePreviewForGood) {
  test::guiApp();
  const auto catalog = core::dicom::scan(seriesDir());
  ASSERT_EQ(catalog.series.size(), 1u);
  gui::MainWindow w;
  w.setInteractiveErrors(false);
  ui::pacs::PacsDialog& dialog = w.pacsDialog();
  ui::pacs::SeriesPreview first = previewOfFirst(catalog.series[0], 16);
  first.retrieval = 5;
  emit dialog.previewReady(first);
  ASSERT_TRUE(w.showingPacsPreview());

  QSignalSpy settled(&w, &gui::MainWindow::settled);
  w.openPath(QString::fromStdString(test::lungPetCtDx().string() + "/Lung_Dx-A0002"));
  ASSERT_TRUE(settled.wait(120000));
  EXPECT_FALSE(w.showingPacsPreview());
  const int chosen = w.viewer().sliceCount();
  ASSERT_NE(chosen, 40);

  ui::pacs::SeriesPreview later = previewOfFirst(catalog.series[0], 40);
  later.retrieval = 5;
  emit dialog.previewReady(later);
  EXPECT_FALSE(w.showingPacsPreview());
  EXPECT_EQ(w.viewer().sliceCount(), chosen);

  later.retrieval = 6;
  emit dialog.previewReady(later);
  EXPECT_TRUE(w.showingPacsPreview());
  EXPECT_EQ(w.viewer().sliceCount(), 40);
}
