// The MPR room in the main window on real CT (Lung-PET-CT-Dx A0001, TCIA, CC BY 4.0) under Xvfb: the 1x3 layout
// draws the reformats the model computes, a click in the coronal view moves the axial viewer's slice, the "Im"
// shown is the file's InstanceNumber, and the comparison layout scrolls the study's two reconstructions together.
// Screenshots go to the test's scratch folder, and to $LUNGLENS_SCREENSHOT_DIR when set (docs/screenshots).
#include <QApplication>
#include <QMenuBar>
#include <QSignalSpy>
#include <QTest>
#include <cmath>
#include <cstdlib>
#include <dcmtk/dcmdata/dctk.h>
#include <iostream>
#include <gtest/gtest.h>

#include "app/gui/main_window.h"
#include "core/dicom/image_number.h"
#include "core/volume/window.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"
#include "ui/mpr/comparison_model.h"
#include "ui/mpr/comparison_widget.h"
#include "ui/mpr/mpr_controller.h"
#include "ui/mpr/mpr_view.h"
#include "ui/mpr/mpr_widget.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

fs::path studyDir() { return test::lungPetCtDx() / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990"; }

void saveShot(const QImage& image, const std::string& name) {
  image.save(QString::fromStdString((test::scratchDir("mpr-gui") / name).string()));
  if (const char* dir = std::getenv("LUNGLENS_SCREENSHOT_DIR")) {
    image.save(QString::fromStdString((fs::path(dir) / name).string()));
  }
}

// The file's InstanceNumber read with DCMTK (independently of LungLens's own header reader).
int instanceNumberInFile(const std::string& path) {
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(path.c_str()).good()) << path;
  Sint32 n = -1;
  EXPECT_TRUE(file.getDataset()->findAndGetSint32(DCM_InstanceNumber, n).good()) << path;
  return static_cast<int>(n);
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.size();
  mb /= b.size();
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

// Correlation between what an MPR view shows on screen and the grey the model computes for the pixel under it.
double viewAgainstModel(const QImage& shot, const QRect& rect, const ui::mpr::MprModel& m, int view) {
  const auto hu = m.image(view);
  const auto grey = core::volume::windowSlice(hu.data(), hu.size(), m.state(view).window);
  std::vector<double> screen, model;
  for (int y = 30; y < rect.height() - 30; y += 2) {  // skip the text lines at the top and bottom
    for (int x = 0; x < rect.width(); x += 2) {
      const auto px = m.viewToPixel(view, {x + 0.5, y + 0.5});
      if (!px) continue;
      screen.push_back(qGray(shot.pixel(rect.x() + x, rect.y() + y)));
      model.push_back(grey[static_cast<std::size_t>((*px)[1]) * m.frame(view).width + (*px)[0]]);
    }
  }
  return screen.size() < 100 ? 0.0 : correlation(screen, model);
}

// The browser row of the series the viewer shows (both A0001 series have 64 slices: tell them by number).
int openRow(const gui::MainWindow& window) {
  for (int row = 0; row < window.seriesList().rowCount(); ++row) {
    if (window.seriesList().seriesAt(row).series_number == window.viewer().facts().series_number) return row;
  }
  ADD_FAILURE() << "the open series is not in the browser";
  return 0;
}

class MprOnRealSeries : public ::testing::Test {
 protected:
  void SetUp() override {
    test::guiApp();
    if (!fs::exists(studyDir())) GTEST_FAIL() << "missing shared data " << studyDir();
  }
};

TEST_F(MprOnRealSeries, OneByThreeDrawsTheReformatsAndAClickMovesTheAxialSlice) {
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.resize(1800, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  window.openPath(QString::fromStdString(studyDir().string()));
  ASSERT_TRUE(settled.wait(180000)) << "the study did not finish loading";
  ASSERT_EQ(window.seriesList().rowCount(), 2);

  auto& mpr = window.mpr();
  ASSERT_TRUE(mpr.model().hasVolume()) << mpr.model().refusal().toStdString();
  mpr.showPage(ui::mpr::MprController::Mpr, ui::mpr::Layout::OneByThree);
  QTest::qWait(300);
  const QImage shot = lunglens::ui::grabWithViews(window).toImage();
  saveShot(shot, "mpr-1x3.png");

  auto& m = mpr.model();
  for (int v = 0; v < 3; ++v) {
    auto* view = mpr.widget().view(v);
    ASSERT_TRUE(view->isVisible());
    const QRect rect(view->mapTo(&window, QPoint(0, 0)), view->size());
    const double r = viewAgainstModel(shot, rect, m, v);
    std::cout << core::volume::planeName(m.frame(v).plane) << " view vs the model's reformat: r = " << r << "\n";
    EXPECT_GT(r, 0.9) << "view " << v << " does not show the model's plane";
  }
  // The coronal plane is as tall as the stack: slices x spacing, in the view's mm scale.
  const auto& co = m.frame(1);
  EXPECT_EQ(co.height, m.volume()->slices());
  EXPECT_DOUBLE_EQ(co.v_spacing_mm, m.volume()->geometry().spacing_mm[2]);

  // A click 40 px above the coronal crosshair moves the axial slice headward, in the viewer too.
  auto* coronal = mpr.widget().view(1);
  const auto centre = m.crosshairInView(1);
  const int before = window.viewer().slice();
  QTest::mouseClick(coronal, Qt::LeftButton, {}, QPoint(static_cast<int>(centre.x), static_cast<int>(centre.y) - 40));
  const int expectedSteps = static_cast<int>(std::lround(40.0 / m.pixelsPerMm(1) / co.v_spacing_mm));
  EXPECT_NEAR(std::abs(window.viewer().slice() - before), expectedSteps, 1);
  EXPECT_EQ(window.viewer().slice(), m.cursor()[2]);
  // Headward: the patient z of the new slice is higher.
  EXPECT_GT(window.viewer().volume()->slicePosition_mm(window.viewer().slice()) *
                window.viewer().volume()->geometry().normal[2],
            window.viewer().volume()->slicePosition_mm(before) * window.viewer().volume()->geometry().normal[2]);

  // "Im" in the axial viewer's overlay is the file's InstanceNumber.
  const auto& series = window.seriesList().seriesAt(openRow(window));
  const int z = window.viewer().slice();
  const int instance = instanceNumberInFile(series.slices[static_cast<std::size_t>(z)].path);
  const std::string overlay = window.viewer().overlay().bottom_left;
  EXPECT_EQ(overlay.rfind("Im " + std::to_string(instance) + " ", 0), 0u) << overlay;
  EXPECT_EQ(m.imageNumber(z), instance);
  std::cout << "slice index " << z << " is DICOM image " << instance << "; overlay: " << overlay.substr(0, overlay.find('\n'))
            << "\n";
}

TEST_F(MprOnRealSeries, ComparisonScrollsTheTwoReconstructionsTogether) {
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.resize(1600, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  window.openPath(QString::fromStdString(studyDir().string()));
  ASSERT_TRUE(settled.wait(180000));
  ASSERT_EQ(window.seriesList().rowCount(), 2);
  auto& mpr = window.mpr();
  const int open = openRow(window);
  mpr.compareWith(1 - open);
  auto& cmp = mpr.comparison();
  ASSERT_TRUE(QTest::qWaitFor([&]() { return cmp.side(1).volume() && cmp.side(1).volume()->complete(); }, 120000));
  const auto& a = window.seriesList().seriesAt(open);
  const auto& b = window.seriesList().seriesAt(1 - open);
  EXPECT_EQ(cmp.registered(), !a.frame_of_reference_uid.empty() && a.frame_of_reference_uid == b.frame_of_reference_uid);
  std::cout << "frames of reference " << (cmp.registered() ? "shared" : "differ") << "; offset " << cmp.offset_mm()
            << " mm\n";
  // Scrolling the left series moves the right one to the same patient z (within half its slice spacing), or to
  // z plus the offset when they are not registered.
  const double normalZ = cmp.side(1).volume()->geometry().normal[2];
  for (int step : {-7, 12, 3}) {
    cmp.side(0).scrollBy(0, step);
    if (!cmp.partnerInside()) continue;
    const double za = cmp.side(0).cursorPatient_mm()[2], zb = cmp.side(1).cursorPatient_mm()[2];
    const double want = za + (cmp.registered() ? 0.0 : cmp.offset_mm() * normalZ);
    EXPECT_LE(std::abs(want - zb), cmp.side(1).volume()->geometry().spacing_mm[2] / 2 + 0.01) << "step " << step;
  }
  QTest::qWait(300);
  saveShot(lunglens::ui::grabWithViews(window).toImage(), "mpr-compare.png");
}

}  // namespace
