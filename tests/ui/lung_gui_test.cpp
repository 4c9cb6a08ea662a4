// The lung analysis in the viewer under Xvfb, on a real series (Lung-PET-CT-Dx A0002, TCIA, CC BY 4.0): it runs
// in the background once the series has loaded, the dock's "Lung analysis" section then shows the six zones, the
// severity score and both lungs' volumes, L and G toggle the contour and opacity overlays (and their legend), and
// with the AI heatmap on, the map on screen is the one clipped to the lungs.
#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QTest>

#include "app/gui/main_window.h"
#include "core/dicom/scan.h"
#include "core/export/lung_report.h"
#include "core/inference/bundle.h"
#include "tests/common/test_paths.h"
#include "tests/ui/ai_dev_bundle.h"
#include "tests/ui/qt_app.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_panel.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/ai/lung_overlay.h"
#include "ui/ai/lung_panel.h"
#include "ui/annotate/export_request.h"
#include "ui/paint/lung_layer.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

const std::string kSeries = "1.3.6.1.4.1.14519.5.2.1.6655.2359.241981550240354690198744362919";

// Pixels of the view close to a colour (the overlay is blended over the slice, the contour is opaque).
int pixelsNear(const QImage& image, const QRect& view, const QColor& colour, int tolerance) {
  int n = 0;
  for (int y = view.top(); y <= view.bottom(); ++y)
    for (int x = view.left(); x <= view.right(); ++x) {
      const QColor c = image.pixelColor(x, y);
      n += std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance &&
           std::abs(c.blue() - colour.blue()) <= tolerance;
    }
  return n;
}

}  // namespace

TEST(LungAnalysisGui, SectionShowsBothLungsAndOverlaysToggle) {
  const fs::path dir = test::lungPetCtDx() / "Lung_Dx-A0002";
  if (!fs::exists(dir)) GTEST_SKIP() << "shared data missing";
  test::guiApp();
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  auto& ai = window.ai();
  ui::ai::AiOptions options;
  options.model = test::writeDevBundles(test::scratchDir("lung-gui-bundles")).diagnosis;
  gui::OpenRequest request;
  request.series_uid = kSeries;
  window.openPath(QString::fromStdString(dir.string()), request);
  ai.start(options);
  auto& lung = ai.lung();
  ASSERT_TRUE(QTest::qWaitFor([&] { return window.settledNow() && ai.settledNow() && lung.model().state() != ui::ai::LungModel::State::NoSeries; }, 600000));
  ASSERT_EQ(lung.model().state(), ui::ai::LungModel::State::Ready) << lung.model().statusText();
  ASSERT_EQ(lung.model().seriesUid(), kSeries);

  // The section: six zones, the score out of 24, both lungs' volumes in mL, the "not AI" wording.
  ui::ai::LungPanel* panel = lung.panel();
  EXPECT_TRUE(panel->isVisibleTo(&ai.panel()));
  EXPECT_TRUE(panel->zoneTable()->isVisibleTo(panel));
  ASSERT_EQ(panel->zoneTable()->rowCount(), 6);
  for (int r = 0; r < 6; ++r) ASSERT_NE(panel->zoneTable()->item(r, 2), nullptr);
  EXPECT_TRUE(panel->severityLabel()->text().startsWith("CT severity score "));
  EXPECT_TRUE(panel->severityLabel()->text().endsWith(" / 24"));
  const QString volumes = panel->volumesLabel()->text();
  const auto* a = lung.model().analysis();
  ASSERT_NE(a, nullptr);
  EXPECT_GT(a->right.volume_ml, 500.0);
  EXPECT_GT(a->left.volume_ml, 500.0);
  EXPECT_TRUE(volumes.contains("Right ") && volumes.contains("Left ") && volumes.contains(" mL")) << volumes.toStdString();
  EXPECT_TRUE(volumes.contains(QString::fromStdString(lung.model().volumesText()))) << volumes.toStdString();
  EXPECT_TRUE(panel->findChild<QLabel*>() != nullptr);
  bool saysNotAi = false;
  for (auto* l : panel->findChildren<QLabel*>()) saysNotAi = saysNotAi || l->text().contains("not an AI score");
  EXPECT_TRUE(saysNotAi);

  // A slice with lung, then L (contour) and G (opacities) on and off.
  auto& viewer = window.viewer();
  int z = viewer.slice();
  if (!a->mask.sliceHasLung(z))
    for (int i = 0; i < viewer.sliceCount(); ++i)
      if (a->mask.sliceHasLung(i)) z = i;
  viewer.setSlice(z);

  // Issue 12: the viewer's export of this slice has the analysis' line in its scores box.
  const auto catalog = core::dicom::scan(dir);
  const auto series = std::find_if(catalog.series.begin(), catalog.series.end(),
                                   [](const auto& s) { return s.series_uid == kSeries; });
  ASSERT_NE(series, catalog.series.end());
  const auto exported = ui::annotate::exportViewFor(viewer, *series, {}, z, &ai, false, std::nullopt);
  ASSERT_TRUE(exported.scores) << "the dev model scored the slice";
  EXPECT_EQ(exported.scores->lung, core::exporting::lungSummaryLine(*a));
  EXPECT_NE(exported.scores->lung.find("CT severity score " + std::to_string(a->severity_score) + " / 24"),
            std::string::npos);
  QApplication::setActiveWindow(&window);
  const QRect view(window.sliceView().mapTo(&window, QPoint(0, 0)), window.sliceView().size());
  QTest::qWait(100);
  const QImage off = lunglens::ui::grabWithViews(window).toImage();
  const QColor contour = ui::paint::lungContourColour();
  const int before = pixelsNear(off, view, contour, 20);
  EXPECT_EQ(lung.overlay().drawnSlice(), -1);
  QTest::keyClick(&window, Qt::Key_L);
  EXPECT_TRUE(lung.overlay().contourShown());
  EXPECT_TRUE(panel->contourBox()->isChecked());
  EXPECT_EQ(lung.overlay().drawnSlice(), z);
  EXPECT_TRUE(lung.overlay().legendShown());
  QTest::qWait(100);
  const QImage withContour = lunglens::ui::grabWithViews(window).toImage();
  const int contourPixels = pixelsNear(withContour, view, contour, 20);
  EXPECT_GT(contourPixels, before + 200) << "the contour is drawn";
  QTest::keyClick(&window, Qt::Key_G);
  EXPECT_TRUE(lung.overlay().opacitiesShown());
  EXPECT_TRUE(panel->opacityBox()->isChecked());
  QTest::qWait(100);
  QTest::keyClick(&window, Qt::Key_L);
  QTest::keyClick(&window, Qt::Key_G);
  EXPECT_FALSE(lung.overlay().contourShown());
  EXPECT_FALSE(lung.overlay().opacitiesShown());
  EXPECT_EQ(lung.overlay().drawnSlice(), -1);
  EXPECT_FALSE(lung.overlay().legendShown());
  QTest::qWait(100);
  EXPECT_LE(pixelsNear(lunglens::ui::grabWithViews(window).toImage(), view, contour, 20), before + 20) << "the contour is gone";

  // The heatmap on screen is the lung-clipped one, and the panel says so.
  ai.setHeatmapShown(true);
  auto* heatmapClass = ai.panel().findChild<QComboBox*>("ai-heatmap-class");
  ASSERT_NE(heatmapClass, nullptr);
  heatmapClass->setCurrentIndex(1);  // COVID-19 evidence, whatever the slice is called
  ASSERT_TRUE(QTest::qWaitFor([&] { return ai.overlay().drawnSlice() == z && ai.overlay().drawnInsideLungs(); }, 60000));
  // Closing the series drops the analysis: nothing to draw, nothing stale.
  window.openPath(QString::fromStdString((test::scratchDir("lung-gui-empty")).string()));
  ASSERT_TRUE(QTest::qWaitFor([&] { return lung.model().state() == ui::ai::LungModel::State::NoSeries; }, 10000));
  EXPECT_EQ(lung.model().analysis(), nullptr);
}
