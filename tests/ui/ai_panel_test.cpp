// The AI assist on the demo phantom study under Xvfb: every slice scored, the curve has one point per slice, the
// verdict text is the engine's, the heatmap colours the lesions and never the air outside the body, late results of
// a replaced series never arrive, and `lunglens --demo --model DIR --heatmap --wait-for-ai --screenshot` works.
// Models: the trained demo bundles once installed beside the executables, else the hand-set dev bundles.
#include "ui/ai/ai_panel.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
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
#include "ui/ai/ood_banner.h"
#include "ui/ai/probability_bars.h"
#include "ui/ai/score_curve.h"
#include "ui/ai/scoring_progress.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

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

}  // namespace

TEST(AiPanelOnDemo, ScoresEverySliceCurveVerdictAndHeatmapOnLesionsOnly) {
  test::guiApp();
  const Truth& truth = demoTruth();
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  auto& ai = window.ai();
  ui::ai::AiOptions options;
  options.model = diagnosisBundle();
  window.openPath(QString::fromStdString((truth.study / "dicom").string()));
  ai.start(options);
  ASSERT_TRUE(waitFor([&] { return window.settledNow() && ai.settledNow() && ai.scores().hasSeries(); }, 600000));
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
  EXPECT_EQ(ai.panel().verdictHeadline()->text().toStdString(), ui::ai::classLabel(verdict.verdict));
  EXPECT_EQ(verdict.verdict, "covid") << "the demo study is a COVID-19 phantom";
  EXPECT_TRUE(ai.panel().syntheticBadge()->isVisibleTo(&ai.panel()));
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
  auto* curve = ai.panel().curve();
  QTest::mouseClick(curve, Qt::LeftButton, {}, QPoint(static_cast<int>(curve->xOf(z)), curve->height() / 2));
  EXPECT_EQ(window.viewer().slice(), z);
  EXPECT_EQ(scores.currentSlice(), z);

  window.viewer().setSlice(z);
  ASSERT_FALSE(ai.overlay().enabled());
  ASSERT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() < 0; }, 1000));
  QTest::qWait(100);
  const QImage off = window.grab().toImage();
  QTest::keyClick(&window, Qt::Key_H);  // heatmap on
  ASSERT_TRUE(ai.overlay().enabled());
  ASSERT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() == z; }, 60000));
  QTest::qWait(100);
  const QImage on = window.grab().toImage();
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
  const Changed full = compareOverMasks(off, window.grab().toImage(), view, window.viewer(), lesion, air);
  EXPECT_GT(static_cast<double>(full.inMaskChanged) / full.inMask, 0.90);
  EXPECT_EQ(full.inAirChanged, 0) << "a full-slice heatmap must stay off the air outside the body";

  // H again hides it: the picture is the heatmap-free one again.
  QTest::keyClick(&window, Qt::Key_H);
  QTest::qWait(100);
  EXPECT_EQ(window.grab().toImage().copy(view), off.copy(view));

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
  EXPECT_FALSE(ai.panel().heatmapNote()->text().isEmpty()) << "the panel says why no map is drawn";
  ai.panel().heatmapClassBox()->setCurrentIndex(1 + engine.diagnosisModel().manifest().classIndex("covid"));
  EXPECT_TRUE(waitFor([&] { return ai.overlay().drawnSlice() == normalSlice; }, 60000))
      << "a chosen class's map is shown on any slice";
  EXPECT_TRUE(ai.panel().heatmapNote()->text().isEmpty());
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
  EXPECT_TRUE(window.ai().panel().noModelLabel()->text().contains("could not be loaded"));
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
  auto& banner = *ai.panel().oodBanner();
  EXPECT_TRUE(banner.isVisibleTo(&ai.panel()));
  EXPECT_TRUE(banner.warningText().contains("does not resemble the model's training data")) << banner.warningText().toStdString();
  for (const char* cls : {"COVID-19", "Other pneumonia", "Normal"})
    EXPECT_FALSE(ai.panel().verdictHeadline()->text().contains(cls)) << ai.panel().verdictHeadline()->text().toStdString();
  EXPECT_FALSE(ai.panel().highestButton()->isEnabled());
  for (int z = 0; z < scores.sliceCount(); ++z) {  // no bars of either model on any slice
    EXPECT_TRUE(scores.diagnosisBars(z).empty()) << "slice " << z;
    EXPECT_TRUE(scores.manifestationBars(z).empty()) << "slice " << z;
  }
  EXPECT_FALSE(ai.panel().manifestationBars()->isVisibleTo(&ai.panel()));

  // No suspicious-slice navigation and no heatmap.
  QApplication::setActiveWindow(&window);
  const int middle = window.viewer().sliceCount() / 2;
  window.viewer().setSlice(middle);
  QTest::keyClick(&window, Qt::Key_N);
  EXPECT_EQ(window.viewer().slice(), middle);
  QTest::keyClick(&window, Qt::Key_H);
  QTest::qWait(500);
  EXPECT_LT(ai.overlay().drawnSlice(), 0);
  const fs::path shots = test::scratchDir("ai-panel-ood");
  EXPECT_TRUE(window.grab().save(QString::fromStdString((shots / "ood-withheld.png").string())));

  // Show anyway: the verdict comes back, the warning stays.
  banner.setShowAnyway(true);
  EXPECT_FALSE(scores.withheld());
  ASSERT_TRUE(waitFor([&] { return !ai.panel().verdictHeadline()->text().contains("withheld", Qt::CaseInsensitive); }, 5000));
  EXPECT_TRUE(banner.isVisibleTo(&ai.panel()));
  EXPECT_TRUE(banner.showAnywayChecked());
  EXPECT_FALSE(scores.diagnosisBars(middle).empty());
  EXPECT_TRUE(window.grab().save(QString::fromStdString((shots / "ood-shown-anyway.png").string())));
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
