// The AI assist on the demo phantom study under Xvfb: every slice scored, the curve has one point per slice, the
// verdict text is the engine's, the heatmap colours the lesions and never the air outside the body, late results of
// a replaced series never arrive, and `lunglens --demo --model DIR --heatmap --wait-for-ai --screenshot` works.
// Models: the trained demo bundles once installed beside the executables, else the hand-set dev bundles.
#include "ui/ai/ai_panel.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "app/gui/main_window.h"
#include "core/inference/heatmap_grid.h"
#include "core/inference/bundle.h"
#include "core/inference/verdict.h"
#include "core/io/nifti.h"
#include "core/phantom/demo_study.h"
#include "tests/common/test_paths.h"
#include "tests/ui/ai_dev_bundle.h"
#include "tests/ui/qt_app.h"
#include "tests/ui/synthetic_volume.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/lung_assist.h"
#include "ui/ai/lung_model.h"
#include "ui/ai/heatmap_overlay.h"
#include "ui/ai/ood_banner.h"
#include "ui/ai/probability_bars.h"
#include "ui/ai/score_curve.h"
#include "ui/ai/scoring_progress.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

namespace fs = std::filesystem;
using namespace lunglens;
namespace inf = core::inference;

namespace {

// The installed demo diagnosis model if there is one, else the dev bundle.
fs::path diagnosisBundle() {
  for (const auto& b : inf::listBundles({test::binaryDir() / "bin" / "models"}))
    if (b.manifest && b.manifest->task == inf::Task::Diagnosis) return b.dir;
  static const test::DevBundles dev = test::writeDevBundles(test::scratchDir("ai-dev-bundles"));
  return dev.diagnosis;
}

struct Truth {
  fs::path study;
  std::vector<double> z_mm;      // per truth slice
  std::vector<double> involved;  // lesion fraction of the lungs per truth slice
  core::io::NiftiVolume labels;
};

const Truth& demoTruth() {
  static const Truth truth = [] {
    Truth t;
    t.study = core::phantom::ensureDemoStudy();
    const auto j = nlohmann::json::parse(std::ifstream(t.study / "truth.json"));
    for (const auto& s : j.at("slices")) {
      t.z_mm.push_back(s.at("z_mm").get<double>());
      t.involved.push_back(s.at("involved_fraction").get<double>());
    }
    t.labels = core::io::readNifti(t.study / "labels.nii.gz");
    return t;
  }();
  return truth;
}

// The window's pixels over the view, and whether each view pixel lies on a voxel of `mask` (cols x rows).
struct Changed {
  int inMask = 0, inMaskChanged = 0;
  int inAir = 0, inAirChanged = 0;
};

Changed compareOverMasks(const QImage& off, const QImage& on, const QRect& view, const ui::viewer::ViewerModel& m,
                         const std::vector<std::uint8_t>& lesion, const std::vector<std::uint8_t>& air) {
  Changed c;
  const int cols = m.layout().cols();
  for (int y = 0; y < view.height(); ++y) {
    for (int x = 0; x < view.width() * 85 / 100; ++x) {  // the colour bar sits in the right 10 %
      const auto v = m.layout().viewToVoxel(m.camera(), view.width(), view.height(), {x + 0.5, y + 0.5});
      if (!v) continue;
      const std::size_t i = static_cast<std::size_t>(v->y) * cols + v->x;
      const bool differs = off.pixel(view.x() + x, view.y() + y) != on.pixel(view.x() + x, view.y() + y);
      if (lesion[i]) {
        ++c.inMask;
        c.inMaskChanged += differs;
      }
      if (air[i]) {
        ++c.inAir;
        c.inAirChanged += differs;
      }
    }
  }
  return c;
}

bool waitFor(const std::function<bool()>& done, int ms) { return QTest::qWaitFor(done, ms); }

// The panel's widgets are its own: tests find them by name, as a reader finds them on screen.
template <typename W>
W* child(const QWidget& panel, const char* name) {
  auto* w = panel.findChild<W*>(name);
  EXPECT_NE(w, nullptr) << "no " << name << " in the panel";
  return w;
}
QString text(const QWidget& panel, const char* name) {
  const auto* l = child<QLabel>(panel, name);
  return l ? l->text() : QString();
}

}  // namespace

// Shows `window` on the demo study (its middle slice) with the AI started, and waits until both have settled.
static void openDemoAndSettle(gui::MainWindow& window, const ui::ai::AiOptions& options) {
  window.setInteractiveErrors(false);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  window.openPath(QString::fromStdString((demoTruth().study / "dicom").string()));
  window.ai().start(options);
  ASSERT_TRUE(waitFor([&] { return window.settledNow() && window.ai().settledNow() && window.ai().scores().hasSeries(); },
                      600000));
}

TEST(AiPanelOnDemo, ScoresEverySliceCurveVerdictAndHeatmapOnLesionsOnly) {
  test::guiApp();
  const Truth& truth = demoTruth();
  gui::MainWindow window;
  auto& ai = window.ai();
  ui::ai::AiOptions options;
  options.model = diagnosisBundle();
  openDemoAndSettle(window, options);
  ASSERT_TRUE(ai.hasModel());
  ASSERT_TRUE(ai.panel().modelShown());

  // Every slice scored; the curve has one point per slice for every class.
  auto& scores = ai.scores();
  const int n = window.viewer().sliceCount();
  ASSERT_EQ(n, static_cast<int>(truth.z_mm.size()));
  EXPECT_EQ(scores.scoredCount(), n);
  for (int k = 0; k < 3; ++k) EXPECT_EQ(static_cast<int>(scores.curve(k).size()), n);

  // The verdict text is the engine's own verdict over its results.
  const auto& engine = *ai.engine().engine();
  std::vector<std::vector<float>> rows;
  for (const auto& r : engine.results().all(engine.openSeriesUid())) rows.push_back(r.diagnosis);
  ASSERT_EQ(static_cast<int>(rows.size()), n);
  const auto verdict = inf::studyVerdict(rows, engine.diagnosisModel().manifest());
  EXPECT_EQ(text(ai.panel(), "ai-verdict").toStdString(), ui::ai::classLabel(verdict.verdict));
  EXPECT_EQ(verdict.verdict, "covid") << "the demo study is a COVID-19 phantom";
  ASSERT_NE(child<QLabel>(ai.panel(), "ai-synthetic-badge"), nullptr);
  EXPECT_TRUE(child<QLabel>(ai.panel(), "ai-synthetic-badge")->isVisibleTo(&ai.panel()));
  EXPECT_EQ(ai.progress().text(), QString("AI: %1 slices scored").arg(n));

  // The slice with the most lesion: its truth index by position.
  const auto best = std::max_element(truth.involved.begin(), truth.involved.end()) - truth.involved.begin();
  int z = 0;
  for (int i = 0; i < n; ++i)
    if (std::abs(window.viewer().volume()->slicePosition_mm(i) - truth.z_mm[static_cast<std::size_t>(best)]) <
        std::abs(window.viewer().volume()->slicePosition_mm(z) - truth.z_mm[static_cast<std::size_t>(best)]))
      z = i;
  // The AI marks the lesion slice suspicious.
  EXPECT_TRUE(scores.suspicious(z)) << "slice " << z;

  // Navigation: N goes to the next suspicious slice toward the feet, J to the highest score; a click on the
  // curve goes to the slice under it.
  QApplication::setActiveWindow(&window);
  window.viewer().setSlice(window.viewer().feetwardStep() > 0 ? 0 : n - 1);
  QTest::keyClick(&window, Qt::Key_N);
  const int fromHead = window.viewer().feetwardStep() > 0 ? 0 : n - 1;
  EXPECT_EQ(window.viewer().slice(), scores.nextSuspicious(fromHead, window.viewer().feetwardStep()).value_or(-1));
  QTest::keyClick(&window, Qt::Key_J);
  EXPECT_EQ(window.viewer().slice(), scores.highestScoring().value_or(-1));
  auto* curve = child<ui::ai::ScoreCurve>(ai.panel(), "ai-curve");
  ASSERT_NE(curve, nullptr);
  QTest::mouseClick(curve, Qt::LeftButton, {}, QPoint(static_cast<int>(curve->xOf(z)), curve->height() / 2));
  EXPECT_EQ(window.viewer().slice(), z);
  EXPECT_EQ(scores.currentSlice(), z);

  window.viewer().setSlice(z);
  ASSERT_FALSE(ai.overlay().enabled());
  ASSERT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() < 0; }, 1000));
  QTest::qWait(100);
  const QImage off = lunglens::ui::grabWithViews(window).toImage();
  QTest::keyClick(&window, Qt::Key_H);  // heatmap on
  ASSERT_TRUE(ai.overlay().enabled());
  ASSERT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() == z; }, 60000));
  QTest::qWait(100);
  const QImage on = lunglens::ui::grabWithViews(window).toImage();
  off.save(QString::fromStdString((test::scratchDir("ai-panel") / "heatmap-off.png").string()));
  on.save(QString::fromStdString((test::scratchDir("ai-panel") / "heatmap-on.png").string()));

  // Lesion voxels from labels.nii.gz (ids 2..9 are findings), air outside the body from the HU slice.
  const auto& L = truth.labels;
  const int cols = L.dims[0], rows_ = L.dims[1];
  ASSERT_EQ(cols, window.viewer().layout().cols());
  const std::size_t per = static_cast<std::size_t>(cols) * rows_;
  std::vector<std::uint8_t> lesion(per);
  for (std::size_t i = 0; i < per; ++i) {
    const auto id = static_cast<std::uint8_t>(L.data[static_cast<std::size_t>(best) * per + i]);
    lesion[i] = id >= 2 && id <= 9;
  }
  // Air outside the body, 2 voxels in from its edge: the layer is drawn with linear interpolation, like the slice,
  // so the screen pixels on the body's outline blend both sides.
  const auto outside = core::inference::outsideBodyAir(window.viewer().volume()->slice(z), cols, rows_);
  std::vector<std::uint8_t> air(per, 0);
  for (int y = 2; y < rows_ - 2; ++y)
    for (int x = 2; x < cols - 2; ++x) {
      bool all = true;
      for (int dy = -2; dy <= 2 && all; ++dy)
        for (int dx = -2; dx <= 2 && all; ++dx) all = outside[static_cast<std::size_t>(y + dy) * cols + x + dx] != 0;
      air[static_cast<std::size_t>(y) * cols + x] = all;
    }
  const QRect view(window.sliceView().mapTo(&window, QPoint(0, 0)), window.sliceView().size());
  const Changed c = compareOverMasks(off, on, view, window.viewer(), lesion, air);
  ASSERT_GT(c.inMask, 200);
  ASSERT_GT(c.inAir, 10000);
  EXPECT_GT(static_cast<double>(c.inMaskChanged) / c.inMask, 0.5) << "heatmap should colour the lesions";
  EXPECT_EQ(c.inAirChanged, 0) << "heatmap must stay off the air outside the body";

  // The mask itself, whatever the model: a heatmap that is 1 everywhere colours the lungs (lesions included: the
  // lung mask, dilated 5 mm, fills in disease) and still leaves the air outside the body untouched. Measured 94 %
  // of lesion pixels: the segmentation still misses some dense subpleural disease of the COVID phantom (issue 12's
  // open phantom Dice point), so the bar is 90 %, not the 95 % of the body mask it replaced.
  inf::Heatmap everywhere;
  everywhere.height = everywhere.width = 7;
  everywhere.values.assign(49, 1.0f);
  everywhere.class_index = 0;
  everywhere.class_name = "covid";
  ai.overlay().showHeatmap(z, everywhere, engine.diagnosisModel().manifest().input, "test");
  ASSERT_TRUE(waitFor([&] { return !ai.overlay().pending() && ai.overlay().drawnSlice() == z; }, 60000));
  QTest::qWait(100);
  const Changed full = compareOverMasks(off, lunglens::ui::grabWithViews(window).toImage(), view, window.viewer(), lesion, air);
  EXPECT_GT(static_cast<double>(full.inMaskChanged) / full.inMask, 0.90);
  EXPECT_EQ(full.inAirChanged, 0) << "a full-slice heatmap must stay off the air outside the body";

  // H again hides it: the picture is the heatmap-free one again.
  QTest::keyClick(&window, Qt::Key_H);
  QTest::qWait(100);
  EXPECT_EQ(lunglens::ui::grabWithViews(window).toImage().copy(view), off.copy(view));

  // With "Predicted class", a slice the model calls normal gets no heatmap (and the panel still settles); choosing
  // a class in the panel shows that class's map there.
  const int normal = engine.diagnosisModel().manifest().classIndex("normal");
  int normalSlice = -1;
  for (int i = 0; i < n && normalSlice < 0; ++i) {
    const auto& p = scores.diagnosis(i);
    if (std::max_element(p.begin(), p.end()) - p.begin() == normal) normalSlice = i;
  }
  ASSERT_GE(normalSlice, 0) << "the demo study has slices above and below the lungs";
  QTest::keyClick(&window, Qt::Key_H);
  window.viewer().setSlice(normalSlice);
  ASSERT_TRUE(waitFor([&] { return ai.settledNow(); }, 60000));
  QTest::qWait(400);  // past the 120-ms rest after which the focus slice's heatmap would be asked for
  EXPECT_LT(ai.overlay().drawnSlice(), 0) << "no heatmap on a slice the model calls normal";
  EXPECT_EQ(text(ai.panel(), "ai-heatmap-note"), "No map: slice called normal (pick a class to see one)")
      << "the panel says why no map is drawn";
  auto* heatmapClass = child<QComboBox>(ai.panel(), "ai-heatmap-class");
  ASSERT_NE(heatmapClass, nullptr);
  heatmapClass->setCurrentIndex(1 + engine.diagnosisModel().manifest().classIndex("covid"));  // as the reader does
  EXPECT_EQ(scores.heatmapClass(), engine.diagnosisModel().manifest().classIndex("covid"));
  EXPECT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() == normalSlice; }, 60000))
      << "a chosen class's map is shown on any slice";
  EXPECT_TRUE(text(ai.panel(), "ai-heatmap-note").isEmpty());
}

TEST(AiPanelOnDemo, CommandLineWaitsForEverySliceAndTheHeatmap) {
  const Truth& truth = demoTruth();
  const fs::path png = test::scratchDir("ai-panel") / "cli.png";
  fs::remove(png);
  QProcess process;
  process.setProcessChannelMode(QProcess::ForwardedChannels);
  process.start(QString::fromStdString((test::binaryDir() / "bin" / "lunglens").string()),
                {"--demo", "--model", QString::fromStdString(diagnosisBundle().string()), "--heatmap", "--slice",
                 QString::number(static_cast<int>(truth.z_mm.size() / 2)), "--wait-for-ai", "--screenshot",
                 QString::fromStdString(png.string())});
  ASSERT_TRUE(process.waitForFinished(600000));
  EXPECT_EQ(process.exitCode(), 0);
  const QImage shot(QString::fromStdString(png.string()));
  ASSERT_FALSE(shot.isNull());
}

// With the heatmap on from the start, "settled" (what --wait-for-ai and the screenshots wait for) means the map on
// screen is the one clipped to the lungs: the lung analysis arriving after the first map re-clips it in the
// background, and a screenshot taken before that showed heat on the chest wall (the README's demo picture).
TEST(AiPanelOnDemo, SettledMeansTheMapOnScreenIsClippedToTheLungs) {
  test::guiApp();
  gui::MainWindow window;
  auto& ai = window.ai();
  ui::ai::AiOptions options;  // the installed demo models, as `lunglens --demo --heatmap --wait-for-ai` uses them
  options.heatmap = true;
  openDemoAndSettle(window, options);
  ASSERT_EQ(ai.overlay().drawnSlice(), window.viewer().slice()) << "a COVID-19 slice of the demo study has a map";
  EXPECT_TRUE(ai.overlay().drawnInsideLungs());
  // A lung analysis arriving while the map is on screen (what happens when it finishes after the first map): not
  // settled until the map is redrawn with it. Played here by taking the analysis away and giving it back.
  const auto analysis = ai.lung().model().sharedAnalysis();
  ASSERT_NE(analysis, nullptr);
  ai.overlay().setLungAnalysis(nullptr);
  EXPECT_FALSE(ai.settledNow()) << "settled while the map was being redrawn";
  ASSERT_TRUE(waitFor([&] { return ai.settledNow(); }, 60000));
  EXPECT_FALSE(ai.overlay().drawnInsideLungs());
  ai.overlay().setLungAnalysis(analysis);
  EXPECT_FALSE(ai.settledNow()) << "settled while the map was being redrawn";
  ASSERT_TRUE(waitFor([&] { return ai.settledNow(); }, 60000));
  EXPECT_TRUE(ai.overlay().drawnInsideLungs());
}

TEST(AiPanelOnDemo, WithoutAModelThePanelSaysSoAndTheViewerWorks) {
  test::guiApp();
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  ui::ai::AiOptions options;
  options.model = test::scratchDir("ai-no-model") / "missing";  // not a bundle
  window.ai().start(options);
  EXPECT_TRUE(window.ai().settledNow());
  EXPECT_FALSE(window.ai().panel().modelShown());
  EXPECT_TRUE(text(window.ai().panel(), "ai-no-model").contains("could not be loaded"));
  window.openPath(QString::fromStdString((demoTruth().study / "dicom").string()));
  ASSERT_TRUE(waitFor([&] { return window.settledNow() && window.viewer().hasVolume(); }, 120000));
  EXPECT_EQ(window.viewer().volume()->readySliceCount(), window.viewer().sliceCount());
  QTest::keyClick(&window, Qt::Key_N);  // AI keys do nothing harmful without a model
  QTest::keyClick(&window, Qt::Key_H);
  EXPECT_FALSE(window.ai().scores().hasSeries());
}

// Issue 13: a real chest CT (TCIA Lung-PET-CT-Dx, CC BY 4.0) scored by the stylised-only demo model. Its guard
// calls the series unlike the training data: no verdict, no suspicious-slice navigation, no heatmap, the warning
// shown; "show anyway" brings the verdict back with the warning kept. Screenshots of both states are saved.
TEST(AiPanelOnRealSeries, StylisedOnlyModelWithholdsItsScores) {
  std::optional<fs::path> bundle;
  for (const auto& b : inf::listBundles({test::binaryDir() / "bin" / "models"}))
    if (b.manifest && b.manifest->name == "lunglens-demo-diagnosis") bundle = b.dir;
  if (!bundle) GTEST_SKIP() << "the demo diagnosis bundle is not installed (build/bin/models)";
  ASSERT_NE(inf::Model::load(*bundle)->oodGuard(), nullptr) << "the demo diagnosis bundle has no ood_guard.json";
  test::guiApp();
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.resize(1400, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  auto& ai = window.ai();
  ui::ai::AiOptions options;
  options.model = *bundle;
  window.openPath(QString::fromStdString((test::lungPetCtDx() / "Lung_Dx-A0002").string()));
  ai.start(options);
  auto& scores = ai.scores();
  ASSERT_TRUE(waitFor([&] { return window.settledNow() && ai.settledNow() && scores.hasSeries() && scores.allScored(); },
                      600000));
  ASSERT_TRUE(scores.outOfDistribution()) << scores.oodSummary().flagged << " of " << scores.oodSummary().scored;
  EXPECT_TRUE(scores.withheld());
  auto* bannerWidget = child<ui::ai::OodBanner>(ai.panel(), "ai-ood-banner");
  ASSERT_NE(bannerWidget, nullptr);
  auto& banner = *bannerWidget;
  EXPECT_TRUE(banner.isVisibleTo(&ai.panel()));
  EXPECT_TRUE(banner.warningText().contains("does not resemble the model's training data")) << banner.warningText().toStdString();
  for (const char* cls : {"COVID-19", "Other pneumonia", "Normal"})
    EXPECT_FALSE(text(ai.panel(), "ai-verdict").contains(cls)) << text(ai.panel(), "ai-verdict").toStdString();
  ASSERT_NE(child<QPushButton>(ai.panel(), "ai-highest"), nullptr);
  EXPECT_FALSE(child<QPushButton>(ai.panel(), "ai-highest")->isEnabled());
  for (int z = 0; z < scores.sliceCount(); ++z) {  // no bars of either model on any slice
    EXPECT_TRUE(scores.diagnosisBars(z).empty()) << "slice " << z;
    EXPECT_TRUE(scores.manifestationBars(z).empty()) << "slice " << z;
  }
  ASSERT_NE(child<ui::ai::ProbabilityBars>(ai.panel(), "ai-manifestation-bars"), nullptr);
  EXPECT_FALSE(child<ui::ai::ProbabilityBars>(ai.panel(), "ai-manifestation-bars")->isVisibleTo(&ai.panel()));

  // No suspicious-slice navigation and no heatmap.
  QApplication::setActiveWindow(&window);
  const int middle = window.viewer().sliceCount() / 2;
  window.viewer().setSlice(middle);
  QTest::keyClick(&window, Qt::Key_N);
  EXPECT_EQ(window.viewer().slice(), middle);
  QTest::keyClick(&window, Qt::Key_H);
  QTest::qWait(500);
  EXPECT_LT(ai.overlay().drawnSlice(), 0);
  EXPECT_TRUE(ai.settledNow()) << "no map is to come while the scores are withheld: --wait-for-ai must not hang";
  const fs::path shots = test::scratchDir("ai-panel-ood");
  EXPECT_TRUE(lunglens::ui::grabWithViews(window).save(QString::fromStdString((shots / "ood-withheld.png").string())));
  // At the default window size the dock's content fits its width: the warning, the model row and the lung table
  // were cut off at the dock's right edge (the scroll area has no horizontal bar).
  {
    QScrollArea* scroll = nullptr;
    for (auto* area : ai.panel().findChildren<QScrollArea*>())
      if (area->isVisible()) scroll = area;
    ASSERT_NE(scroll, nullptr);
    const int room = scroll->viewport()->width();
    std::string cut;
    for (auto* w : scroll->widget()->findChildren<QWidget*>()) {
      if (!w->isVisible() || qobject_cast<QScrollArea*>(w->parentWidget())) continue;
      const int right = w->mapTo(scroll->widget(), QPoint(w->width(), 0)).x();
      if (right > room + 1)
        cut += std::string(w->metaObject()->className()) + " '" + w->objectName().toStdString() + "' right " +
               std::to_string(right) + " min " + std::to_string(w->minimumSizeHint().width()) + "; ";
    }
    EXPECT_LE(scroll->widget()->width(), room) << "viewport " << room << ": " << cut;
  }

  // Show anyway: the verdict comes back, the warning stays.
  banner.setShowAnyway(true);
  EXPECT_FALSE(scores.withheld());
  ASSERT_TRUE(waitFor([&] { return !text(ai.panel(), "ai-verdict").contains("withheld", Qt::CaseInsensitive); }, 5000));
  EXPECT_TRUE(banner.isVisibleTo(&ai.panel()));
  EXPECT_TRUE(banner.showAnywayChecked());
  EXPECT_FALSE(scores.diagnosisBars(middle).empty());
  EXPECT_TRUE(lunglens::ui::grabWithViews(window).save(QString::fromStdString((shots / "ood-shown-anyway.png").string())));

  // On a slice with a map to show, ticking "show anyway" draws it where the reader is, without scrolling; hiding
  // the scores again takes it away.
  int mapped = -1;
  for (int z = 0; z < window.viewer().sliceCount() && mapped < 0; ++z)
    if (scores.eligible(z) && !scores.noHeatmapByDesign(z)) mapped = z;
  ASSERT_GE(mapped, 0) << "the demo model calls every lung slice normal";
  banner.setShowAnyway(false);
  window.viewer().setSlice(mapped);
  QTest::qWait(300);
  EXPECT_LT(ai.overlay().drawnSlice(), 0);
  banner.setShowAnyway(true);
  EXPECT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() == mapped; }, 60000)) << "slice " << mapped;
  banner.setShowAnyway(false);
  EXPECT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() < 0; }, 5000));
}

// The panel alone on a presenter model: it shows what the model says and emits what the reader asks for as its
// own typed signals; state set from outside (AiAssist keeping it in step) emits nothing.
TEST(AiPanel, EmitsTheReadersRequestsAndShowsWhatItsModelSays) {
  test::guiApp();
  ui::ai::ModelFacts facts;
  facts.name = "panel-test";
  facts.version = "1.0";
  facts.classes = {"covid", "other_pneumonia", "normal"};
  facts.thresholds = {{"covid", 0.5}, {"other_pneumonia", 0.5}};
  facts.manifestation_classes = {"ggo", "consolidation", "fibrotic_streaks"};
  ui::ai::AiScoresModel model;
  ui::ai::AiPanel panel(&model);
  panel.resize(360, 1000);
  panel.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&panel));
  model.openSeries("s", 5, facts);
  panel.showModel();
  ASSERT_TRUE(panel.modelShown());
  auto* previous = child<QPushButton>(panel, "ai-previous");
  auto* next = child<QPushButton>(panel, "ai-next");
  auto* highest = child<QPushButton>(panel, "ai-highest");
  ASSERT_TRUE(previous && next && highest);
  using P = ui::ai::AiPanel;
  QSignalSpy previousSpy(&panel, &P::previousSuspiciousRequested), nextSpy(&panel, &P::nextSuspiciousRequested),
      highestSpy(&panel, &P::highestRequested);

  // Nothing scored: nowhere to go, and a click on a disabled button asks for nothing.
  EXPECT_FALSE(previous->isEnabled());
  EXPECT_FALSE(highest->isEnabled());
  QTest::mouseClick(previous, Qt::LeftButton);
  EXPECT_EQ(previousSpy.count(), 0);
  for (int z = 0; z < 5; ++z) {
    inf::SliceResult r;
    r.slice = z;
    r.diagnosis = z == 2 ? std::vector<float>{0.8f, 0.1f, 0.1f} : std::vector<float>{0.1f, 0.1f, 0.8f};
    model.applyResult("s", r);
  }
  EXPECT_EQ(text(panel, "ai-verdict"), QString::fromStdString(model.verdictHeadline()));
  EXPECT_EQ(text(panel, "ai-verdict"), "COVID-19");
  EXPECT_TRUE(previous->isEnabled());
  EXPECT_TRUE(next->isEnabled());
  EXPECT_TRUE(highest->isEnabled());
  QTest::mouseClick(previous, Qt::LeftButton);
  QTest::mouseClick(next, Qt::LeftButton);
  QTest::mouseClick(next, Qt::LeftButton);
  QTest::mouseClick(highest, Qt::LeftButton);
  EXPECT_EQ(previousSpy.count(), 1);
  EXPECT_EQ(nextSpy.count(), 2);
  EXPECT_EQ(highestSpy.count(), 1);
  // The model's threshold above the one suspicious slice: P / N off again (the panel follows the model).
  model.setVerdictThreshold(0.9);
  EXPECT_FALSE(next->isEnabled());
  EXPECT_TRUE(highest->isEnabled());

  // Threshold and filter: the values asked for (the filter as a manifestation index, -1 = any).
  QSignalSpy thresholdSpy(&panel, &P::thresholdChanged), filterSpy(&panel, &P::suspiciousFilterChanged);
  child<QDoubleSpinBox>(panel, "ai-threshold")->setValue(0.65);
  ASSERT_EQ(thresholdSpy.count(), 1);
  EXPECT_DOUBLE_EQ(thresholdSpy.at(0).at(0).toDouble(), 0.65);
  auto* filter = child<QComboBox>(panel, "ai-filter");
  ASSERT_EQ(filter->count(), 4);
  filter->setCurrentIndex(2);
  filter->setCurrentIndex(0);
  ASSERT_EQ(filterSpy.count(), 2);
  EXPECT_EQ(filterSpy.at(0).at(0).toInt(), 1);
  EXPECT_EQ(filterSpy.at(1).at(0).toInt(), -1);

  // The heatmap controls.
  QSignalSpy shownSpy(&panel, &P::heatmapShownChanged), classSpy(&panel, &P::heatmapClassChanged),
      coloursSpy(&panel, &P::heatmapColoursChanged), opacitySpy(&panel, &P::heatmapOpacityChanged);
  auto* box = child<QCheckBox>(panel, "ai-heatmap");
  QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
  ASSERT_EQ(shownSpy.count(), 1);
  EXPECT_TRUE(shownSpy.at(0).at(0).toBool());
  EXPECT_TRUE(panel.heatmapShown());
  panel.setHeatmapShown(false);  // AiAssist keeping the box in step with the menu: no request
  EXPECT_FALSE(panel.heatmapShown());
  EXPECT_EQ(shownSpy.count(), 1);
  auto* heatmapClass = child<QComboBox>(panel, "ai-heatmap-class");
  ASSERT_EQ(heatmapClass->count(), 4);  // "Predicted class" and the three classes
  heatmapClass->setCurrentIndex(3);
  ASSERT_EQ(classSpy.count(), 1);
  EXPECT_EQ(classSpy.at(0).at(0).toInt(), 2);
  model.setHeatmapClass(1);  // the model's choice is what the box shows, and no request comes of it
  EXPECT_EQ(heatmapClass->currentIndex(), 2);
  EXPECT_EQ(classSpy.count(), 1);
  child<QComboBox>(panel, "ai-heatmap-colours")->setCurrentIndex(2);
  ASSERT_EQ(coloursSpy.count(), 1);
  EXPECT_EQ(coloursSpy.at(0).at(0).toInt(), 2);
  EXPECT_DOUBLE_EQ(panel.heatmapOpacity(), 0.8);
  child<QSlider>(panel, "ai-heatmap-opacity")->setValue(40);
  ASSERT_EQ(opacitySpy.count(), 1);
  EXPECT_DOUBLE_EQ(opacitySpy.at(0).at(0).toDouble(), 0.4);
  panel.setHeatmapNote("why");
  EXPECT_EQ(text(panel, "ai-heatmap-note"), "why");
  EXPECT_TRUE(child<QLabel>(panel, "ai-heatmap-note")->isVisibleTo(&panel));
  panel.setHeatmapNote({});
  EXPECT_FALSE(child<QLabel>(panel, "ai-heatmap-note")->isVisibleTo(&panel));

  // The curve: a click asks for the slice under it.
  QSignalSpy sliceSpy(&panel, &P::sliceRequested);
  auto* curve = child<ui::ai::ScoreCurve>(panel, "ai-curve");
  QTest::mouseClick(curve, Qt::LeftButton, {}, QPoint(static_cast<int>(curve->xOf(3)), curve->height() / 2));
  ASSERT_GE(sliceSpy.count(), 1);
  EXPECT_EQ(sliceSpy.at(0).at(0).toInt(), 3);

  // The models: the first is chosen; Re-run asks for the chosen one.
  QSignalSpy rerunSpy(&panel, &P::rerunRequested);
  panel.setModels({{"Model A", "/models/a"}, {"Model B", "/models/b"}});
  EXPECT_EQ(panel.chosenModelDir(), "/models/a");
  EXPECT_EQ(panel.chosenModelTitle(), "Model A");
  child<QComboBox>(panel, "ai-model-chooser")->setCurrentIndex(1);
  QTest::mouseClick(child<QPushButton>(panel, "ai-rerun"), Qt::LeftButton);
  ASSERT_EQ(rerunSpy.count(), 1);
  EXPECT_EQ(rerunSpy.at(0).at(0).toString(), "/models/b");
  panel.setModels({});
  EXPECT_TRUE(panel.chosenModelDir().isEmpty());

  panel.showNoModel("no model here");
  EXPECT_FALSE(panel.modelShown());
  EXPECT_EQ(text(panel, "ai-no-model"), "no model here");
}

TEST(EngineAdapter, LateResultsOfAReplacedOrCancelledSeriesNeverArrive) {
  test::guiApp();
  ui::ai::EngineAdapter adapter;
  ui::ai::LoadedModels models;
  models.diagnosis = inf::Model::load(diagnosisBundle());
  adapter.setModels(models);
  std::vector<std::pair<std::string, inf::EngineEvent::Kind>> seen;
  QObject::connect(&adapter, &ui::ai::EngineAdapter::engineEvent,
                   [&](const inf::EngineEvent& e) { seen.emplace_back(e.series_uid, e.kind); });
  const auto a = test::makeSyntheticVolume(32, 32, 20), b = test::makeSyntheticVolume(32, 32, 20);
  adapter.openSeries("A", a, 10);
  ASSERT_TRUE(waitFor([&] { return !seen.empty(); }, 60000));
  // Let A's results pile up in the event queue unprocessed, then replace the series.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  adapter.openSeries("B", b, 5);
  const std::size_t mark = seen.size();
  ASSERT_TRUE(waitFor([&] { return !adapter.scoring(); }, 60000));
  int bDiagnosed = 0;
  for (std::size_t i = mark; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].first, "B") << "a result of the replaced series arrived";
    bDiagnosed += seen[i].second == inf::EngineEvent::Kind::Diagnosis;
  }
  EXPECT_EQ(bDiagnosed, 20);
  // Cancelled: whatever was in flight is dropped too.
  adapter.rerun();
  ASSERT_TRUE(waitFor([&] { return seen.size() > mark + 21; }, 60000));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  adapter.cancel();
  const std::size_t cancelledAt = seen.size();
  QTest::qWait(500);
  EXPECT_EQ(seen.size(), cancelledAt);
  EXPECT_FALSE(adapter.scoring());
}
