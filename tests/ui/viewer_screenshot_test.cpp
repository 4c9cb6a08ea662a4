// The viewer on a real CT series under Xvfb: the slice on screen is the windowed slice core computes, placed where
// the view model says; opening another series cancels the load; and `lunglens DIR --screenshot` draws the same
// picture. (That the first image comes before the rest is checked on the loader, in series_loader_test.)
#include <QApplication>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <iostream>
#include <gtest/gtest.h>

#include "app/gui/main_window.h"
#include "ui/ai/ai_assist.h"
#include "core/dicom/load.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

constexpr int kSlice = 40;  // 0 = the lowest slice, on the command line too

fs::path seriesDir() {
  return test::lungPetCtDx() / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Pairs every screen pixel of the view that lies over the slice with the grey core computes for the voxel the
// model maps it to, and returns their correlation.
double viewAgainstSlice(const QImage& shot, const QRect& view, const ui::viewer::ViewerModel& model,
                        const std::vector<std::uint8_t>& expected, int* pixelsOverSlice = nullptr) {
  std::vector<double> screen, core;
  const int cols = model.layout().cols();
  for (int y = 0; y < view.height(); ++y) {
    for (int x = 0; x < view.width(); ++x) {
      const auto voxel = model.layout().viewToVoxel(model.camera(), view.width(), view.height(), {x + 0.5, y + 0.5});
      if (!voxel) continue;
      screen.push_back(qGray(shot.pixel(view.x() + x, view.y() + y)));
      core.push_back(expected[static_cast<std::size_t>(voxel->y) * cols + voxel->x]);
    }
  }
  if (pixelsOverSlice) *pixelsOverSlice = static_cast<int>(screen.size());
  return screen.size() < 100 ? 0.0 : correlation(screen, core);
}

}  // namespace

class ViewerOnRealSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    test::guiApp();
    if (!fs::exists(seriesDir())) GTEST_FAIL() << "missing shared data " << seriesDir();
  }
};

TEST_F(ViewerOnRealSeries, ShowsTheWindowedSliceAndMatchesTheScreenshotCommand) {
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  auto& model = window.viewer();
  auto* progress = window.findChild<QProgressBar*>();
  ASSERT_NE(progress, nullptr);

  // The progress bar shows while the series loads.
  bool progressShown = false;
  QObject::connect(&model, &ui::viewer::ViewerModel::imageChanged, [&]() {
    progressShown = progressShown || progress->isVisible();
  });
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  QSignalSpy failed(&window, &gui::MainWindow::failed);
  gui::OpenRequest request;
  request.slice = kSlice;
  window.openPath(QString::fromStdString(seriesDir().string()), request);
  // As lunglens does: the AI assist starts after the open request (with no model installed it just says so).
  QSignalSpy aiSettled(&window.ai(), &ui::ai::AiAssist::settled);
  window.ai().start({});
  ASSERT_TRUE(settled.wait(120000)) << "the series did not finish loading";
  // The AI panel's text sets the dock's width and so the view's: wait for it as `--wait-for-ai` does below.
  if (!window.ai().settledNow()) {
    ASSERT_TRUE(aiSettled.wait(300000));
  }
  ASSERT_EQ(failed.count(), 0) << failed.first().first().toString().toStdString();

  ASSERT_EQ(model.sliceCount(), 64);
  EXPECT_TRUE(progressShown);
  EXPECT_FALSE(progress->isVisible());
  EXPECT_TRUE(model.volume()->complete());
  EXPECT_EQ(model.slice(), kSlice);

  // The view region against core's windowed slice.
  const QImage shot = lunglens::ui::grabWithViews(window).toImage();
  shot.save(QString::fromStdString((test::scratchDir("viewer-in-process") / "window.png").string()));
  const QRect view(window.sliceView().mapTo(&window, QPoint(0, 0)), window.sliceView().size());
  ASSERT_EQ(window.seriesList().rowCount(), 1);
  const core::dicom::SeriesInfo& series = window.seriesList().seriesAt(0);
  const auto hu = core::dicom::loadSlice(series, kSlice);
  const auto expected = core::volume::windowSlice(hu.data(), hu.size(), core::volume::lungWindow());
  int pixels = 0;
  const double r = viewAgainstSlice(shot, view, model, expected, &pixels);
  EXPECT_GT(pixels, view.width() * view.height() / 3) << "the slice covers too little of the view";
  EXPECT_GT(r, 0.95) << "the view does not show the windowed slice";
  std::cout << "correlation of the view with core's windowed slice: " << r << "\n";
  // A slice 5 cm away correlates clearly worse: the check tells slices apart.
  const auto otherHu = core::dicom::loadSlice(series, kSlice - 10);
  const double rOther =
      viewAgainstSlice(shot, view, model, core::volume::windowSlice(otherHu.data(), otherHu.size(), core::volume::lungWindow()));
  EXPECT_LT(rOther, r - 0.05);

  // Outside the slice (left and right of a square slice in a wide view) the view is black.
  const auto left = model.layout().imageMmToView(model.camera(), view.width(), view.height(), 0, 0);
  if (left.x > 20) {
    EXPECT_LT(qGray(shot.pixel(view.x() + static_cast<int>(left.x / 2), view.y() + view.height() / 2)), 16);
  }

  // The same picture from the command line.
  const QImage firstShot = shot;

  const fs::path png = test::scratchDir("viewer-screenshot") / "shot.png";
  QProcess process;
  process.setProcessChannelMode(QProcess::ForwardedChannels);
  process.start(QString::fromStdString((test::binaryDir() / "bin" / "lunglens").string()),
                {QString::fromStdString(seriesDir().string()), "--slice", QString::number(kSlice), "--wait-for-ai",
                 "--screenshot", QString::fromStdString(png.string())});
  ASSERT_TRUE(process.waitForFinished(180000));
  ASSERT_EQ(process.exitStatus(), QProcess::NormalExit);
  ASSERT_EQ(process.exitCode(), 0);
  QImage fromCommand(QString::fromStdString(png.string()));
  ASSERT_FALSE(fromCommand.isNull());
  ASSERT_EQ(fromCommand.size(), shot.size());
  EXPECT_GT(viewAgainstSlice(fromCommand, view, model, expected), 0.95);
  EXPECT_EQ(fromCommand.copy(view), firstShot.copy(view)) << "the command drew a different picture";

  // The keys a radiologist uses: presets, hide patient data, reset; and a zoomed, panned view still shows the slice.
  // (Xvfb has no window manager to activate the window, and shortcuts need an active window.)
  QApplication::setActiveWindow(&window);
  QTest::keyClick(&window, Qt::Key_2);
  EXPECT_EQ(model.window().name, "mediastinum");
  QTest::keyClick(&window, Qt::Key_H, Qt::ShiftModifier);  // H alone is the AI heatmap
  EXPECT_TRUE(model.phiHidden());
  EXPECT_EQ(model.overlay().top_left.find("Lung_Dx-A0001"), std::string::npos);
  EXPECT_FALSE(window.seriesList().data(window.seriesList().index(0), Qt::ToolTipRole).toString().contains("Lung_Dx"));
  model.zoomAt(2.0, {view.width() * 0.4, view.height() * 0.6});
  model.panBy(60, -35);
  const QImage zoomed = lunglens::ui::grabWithViews(window).toImage();
  const auto mediastinum = core::volume::windowSlice(hu.data(), hu.size(), core::volume::mediastinumWindow());
  EXPECT_GT(viewAgainstSlice(zoomed, view, model, mediastinum), 0.95);
  QTest::keyClick(&window, Qt::Key_R);
  EXPECT_DOUBLE_EQ(model.camera().zoom, 1.0);
  EXPECT_EQ(model.window().name, "lung");
}

TEST_F(ViewerOnRealSeries, OpeningAnotherSeriesCancelsTheLoadInFlight) {
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  window.openPath(QString::fromStdString(seriesDir().parent_path().string()));
  ASSERT_TRUE(settled.wait(120000));
  ASSERT_EQ(window.seriesList().rowCount(), 2);

  settled.clear();
  window.openSeries(0);
  const auto first = window.viewer().volume();
  window.openSeries(1);  // cancels the first load and waits for its decoders to stop
  const int firstReadyAtSwitch = first->readySliceCount();
  const auto second = window.viewer().volume();
  ASSERT_NE(first, second);
  ASSERT_TRUE(settled.wait(120000));
  EXPECT_TRUE(second->complete());
  EXPECT_EQ(first->readySliceCount(), firstReadyAtSwitch) << "the first series kept loading after the switch";
  EXPECT_EQ(window.viewer().facts().series_number, window.seriesList().seriesAt(1).series_number);
}

TEST_F(ViewerOnRealSeries, DemoOpensTheBundledPhantomStudy) {
  // The demo study is generated into the user data folder on first use: keep it inside the build folder.
  const fs::path png = test::scratchDir("viewer-demo") / "demo.png";
  QProcess process;
  auto env = QProcessEnvironment::systemEnvironment();
  env.insert("LUNGLENS_DATA_DIR", QString::fromStdString((test::binaryDir() / "test-userdata").string()));
  process.setProcessEnvironment(env);
  process.setProcessChannelMode(QProcess::ForwardedChannels);
  process.start(QString::fromStdString((test::binaryDir() / "bin" / "lunglens").string()),
                {"--demo", "--window", "mediastinum", "--screenshot", QString::fromStdString(png.string())});
  ASSERT_TRUE(process.waitForFinished(600000));
  ASSERT_EQ(process.exitCode(), 0);
  const QImage shot(QString::fromStdString(png.string()));
  ASSERT_FALSE(shot.isNull());
  // Body (soft tissue, mid grey) and air (black) in the middle of the window: a chest is on screen.
  int dark = 0, mid = 0;
  for (int y = shot.height() / 4; y < shot.height() * 3 / 4; y += 4) {
    for (int x = shot.width() / 3; x < shot.width() * 2 / 3; x += 4) {
      const int g = qGray(shot.pixel(x, y));
      dark += g < 20;
      mid += g > 60 && g < 200;
    }
  }
  EXPECT_GT(dark, 50);
  EXPECT_GT(mid, 500);
}
