// The AI panel's presenter model without a display: scores in, bars, curve points, verdict text and navigation
// targets out; results for another series never shown.
#include "ui/ai/ai_scores_model.h"

#include <gtest/gtest.h>

#include "core/inference/verdict.h"

using namespace lunglens;
using ui::ai::AiScoresModel;
namespace inf = core::inference;

namespace {

ui::ai::ModelFacts facts(bool manifestations = true) {
  inf::Manifest d;
  d.name = "demo-diagnosis";
  d.version = "1.2.0";
  d.architecture = "resnet18";
  d.classes = {"covid", "other_pneumonia", "normal"};
  d.thresholds = {{"covid", 0.5}, {"other_pneumonia", 0.6}};
  d.provenance.training_data = "synthetic phantoms";
  d.provenance.synthetic = true;
  d.provenance.date = "2026-11-26";
  inf::Manifest m;
  m.name = "demo-manifestation";
  m.version = "1.0.0";
  m.task = inf::Task::Manifestation;
  m.classes = {"ggo", "consolidation", "fibrotic_streaks"};
  m.thresholds = {{"ggo", 0.5}, {"consolidation", 0.4}, {"fibrotic_streaks", 0.5}};
  return ui::ai::modelFactsFrom(d, manifestations ? &m : nullptr);
}

inf::SliceResult result(int slice, std::vector<float> diagnosis, std::vector<float> manifestation = {}) {
  inf::SliceResult r;
  r.slice = slice;
  r.diagnosis = std::move(diagnosis);
  r.manifestation = std::move(manifestation);
  return r;
}

}  // namespace

TEST(AiScoresModel, DropsResultsOfAnotherSeriesOrOutOfRange) {
  AiScoresModel model;
  model.openSeries("1.2.3", 10, facts());
  int changes = 0;
  QObject::connect(&model, &AiScoresModel::scoresChanged, [&](int) { ++changes; });
  EXPECT_FALSE(model.applyResult("9.9.9", result(2, {0.9f, 0.05f, 0.05f})));  // a closed series' late result
  EXPECT_FALSE(model.applyResult("1.2.3", result(10, {0.9f, 0.05f, 0.05f})));
  EXPECT_FALSE(model.applyResult("1.2.3", result(1, {0.9f, 0.1f})));  // wrong class count
  EXPECT_EQ(changes, 0);
  EXPECT_EQ(model.scoredCount(), 0);
  EXPECT_TRUE(model.applyResult("1.2.3", result(2, {0.9f, 0.05f, 0.05f})));
  EXPECT_TRUE(model.applyResult("1.2.3", result(2, {0.8f, 0.1f, 0.1f})));  // rescored: counted once
  EXPECT_EQ(changes, 2);
  EXPECT_EQ(model.scoredCount(), 1);
  model.clear();
  EXPECT_FALSE(model.applyResult("1.2.3", result(3, {0.9f, 0.05f, 0.05f})));
}

TEST(AiScoresModel, BarsShowProbabilitiesAgainstThresholds) {
  AiScoresModel model;
  model.openSeries("s", 4, facts());
  EXPECT_TRUE(model.diagnosisBars(0).empty());  // not scored yet
  model.applyResult("s", result(0, {0.55f, 0.30f, 0.15f}, {0.7f, 0.3f, 0.1f}));
  auto bars = model.diagnosisBars(0);
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].label, "COVID-19");
  EXPECT_EQ(bars[1].label, "Other pneumonia");
  EXPECT_EQ(bars[2].label, "Normal");
  EXPECT_FLOAT_EQ(bars[0].probability, 0.55f);
  EXPECT_TRUE(bars[0].over_threshold);
  EXPECT_FALSE(bars[1].over_threshold);  // 0.30 < 0.6
  EXPECT_DOUBLE_EQ(bars[1].threshold, 0.6);
  EXPECT_FALSE(bars[2].over_threshold);  // normal is never "over"
  // COVID-positive: manifestation bars, judged by the manifestation model's thresholds.
  auto m = model.manifestationBars(0);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].label, "Ground-glass opacity");
  EXPECT_TRUE(m[0].over_threshold);
  EXPECT_FALSE(m[1].over_threshold);  // 0.3 < 0.4
  // Raising the COVID threshold above the slice's probability hides them, and the bar follows.
  model.setVerdictThreshold(0.6);
  EXPECT_FALSE(model.diagnosisBars(0)[0].over_threshold);
  EXPECT_TRUE(model.manifestationBars(0).empty());
}

TEST(AiScoresModel, CurveHasOnePointPerScoredSliceWithGaps) {
  AiScoresModel model;
  model.openSeries("s", 6, facts());
  for (int z : {0, 1, 4}) model.applyResult("s", result(z, {0.1f * z, 0.2f, 0.8f - 0.1f * z}));
  const auto covid = model.curve(0);
  ASSERT_EQ(covid.size(), 3u);
  EXPECT_EQ(covid[0].slice, 0);
  EXPECT_EQ(covid[1].slice, 1);
  EXPECT_EQ(covid[2].slice, 4);  // 2 and 3 are gaps
  EXPECT_FLOAT_EQ(covid[2].probability, 0.4f);
  EXPECT_FLOAT_EQ(model.curve(2)[2].probability, 0.4f);
  EXPECT_TRUE(model.curve(3).empty());  // no such class
  EXPECT_FALSE(model.allScored());
}

TEST(AiScoresModel, VerdictIsTheSharedRuleWithTheAdjustableThreshold) {
  AiScoresModel model;
  const int n = 20;
  model.openSeries("s", n, facts());
  std::vector<std::vector<float>> rows;
  for (int z = 0; z < n; ++z) {
    const float covid = z < 3 ? 0.7f : 0.1f;  // three focal slices
    rows.push_back({covid, 0.1f, 0.9f - covid});
  }
  for (int z = 0; z < n - 1; ++z) model.applyResult("s", result(z, rows[static_cast<std::size_t>(z)]));
  EXPECT_EQ(model.verdictHeadline(), "COVID-19 (so far)");
  EXPECT_NE(model.verdictDetails().find("19 of 20 slices scored so far"), std::string::npos);
  model.applyResult("s", result(n - 1, rows.back()));
  ASSERT_TRUE(model.allScored());
  const auto expected = inf::studyVerdict(rows, facts().classes, facts().thresholds);
  EXPECT_EQ(expected.verdict, "covid");
  EXPECT_EQ(model.verdict().verdict, expected.verdict);
  EXPECT_EQ(model.verdictHeadline(), "COVID-19");
  // The rule's numbers: top-2 mean 0.70 against the threshold, 3 slices over it.
  EXPECT_NE(model.verdictDetails().find("Mean of the top 2 of 20 slices"), std::string::npos) << model.verdictDetails();
  EXPECT_NE(model.verdictDetails().find("COVID-19: 0.70 ≥ 0.50 · 3 slices over"), std::string::npos)
      << model.verdictDetails();
  model.setVerdictThreshold(0.75);
  EXPECT_EQ(model.verdictHeadline(), "Normal");
  EXPECT_NE(model.verdictDetails().find("COVID-19: 0.70 < 0.75 · 0 slices over"), std::string::npos);
}

TEST(AiScoresModel, NavigationTargetsFollowThresholdAndManifestationFilter) {
  AiScoresModel model;
  model.openSeries("s", 10, facts());
  model.applyResult("s", result(2, {0.8f, 0.1f, 0.1f}, {0.9f, 0.1f, 0.1f}));  // GGO
  model.applyResult("s", result(5, {0.6f, 0.2f, 0.2f}, {0.1f, 0.8f, 0.1f}));  // consolidation
  model.applyResult("s", result(7, {0.1f, 0.7f, 0.2f}));                      // other pneumonia
  model.applyResult("s", result(8, {0.2f, 0.1f, 0.7f}));                      // normal
  EXPECT_EQ(model.nextSuspicious(0, +1), 2);
  EXPECT_EQ(model.nextSuspicious(2, +1), 5);
  EXPECT_EQ(model.nextSuspicious(5, +1), 7);
  EXPECT_EQ(model.nextSuspicious(7, +1), std::nullopt);
  EXPECT_EQ(model.nextSuspicious(7, -1), 5);
  EXPECT_EQ(model.nextSuspicious(2, -1), std::nullopt);
  EXPECT_EQ(model.highestScoring(), 2);
  EXPECT_EQ(model.highestScoring(1), 7);
  EXPECT_EQ(model.suspiciousCount(), 3);
  model.setManifestationFilter(1);  // consolidation only
  EXPECT_EQ(model.nextSuspicious(0, +1), 5);
  EXPECT_EQ(model.nextSuspicious(5, +1), std::nullopt);
  EXPECT_EQ(model.highestScoring(), 5);
  model.setManifestationFilter(-1);
  model.setVerdictThreshold(0.7);
  EXPECT_EQ(model.nextSuspicious(0, +1), 2);
  EXPECT_EQ(model.nextSuspicious(2, +1), 7);  // 5 (0.6) no longer passes
}

TEST(AiScoresModel, FactsComeFromTheManifests) {
  const auto f = facts(false);
  EXPECT_EQ(f.name, "demo-diagnosis");
  EXPECT_TRUE(f.synthetic);
  EXPECT_TRUE(f.manifestation_classes.empty());
  AiScoresModel model;
  model.openSeries("s", 3, f);
  model.applyResult("s", result(0, {0.9f, 0.05f, 0.05f}));
  EXPECT_TRUE(model.manifestationBars(0).empty());  // no manifestation model
  model.setManifestationFilter(0);                  // nothing to filter by: ignored
  EXPECT_EQ(model.manifestationFilter(), -1);
}

namespace {
inf::SliceResult withHeatmap(inf::SliceResult r, int cls) {
  r.diagnosis_heatmap.height = r.diagnosis_heatmap.width = 2;
  r.diagnosis_heatmap.values = {0.1f, 0.5f, 0.9f, static_cast<float>(cls + 1) / 10};
  r.diagnosis_heatmap.class_index = cls;
  return r;
}
}  // namespace

TEST(AiScoresModel, HeatmapShownIsThePredictedOrChosenClassAndNoneOnSlicesCalledNormal) {
  AiScoresModel model;
  model.openSeries("s", 4, facts());
  int choices = 0;
  QObject::connect(&model, &AiScoresModel::heatmapClassChanged, [&](int) { ++choices; });
  // Before a slice is scored, whichever class the engine explained is shown.
  model.applyResult("s", withHeatmap(result(0, {}), 1));
  ASSERT_NE(model.shownHeatmap(0), nullptr);
  EXPECT_EQ(model.shownHeatmap(0)->class_index, 1);
  // Scored COVID-19: the map of another class is not the predicted one's.
  model.applyResult("s", result(0, {0.7f, 0.2f, 0.1f}));
  EXPECT_EQ(model.shownHeatmap(0), nullptr);
  model.applyResult("s", withHeatmap(result(0, {0.7f, 0.2f, 0.1f}), 0));
  ASSERT_NE(model.shownHeatmap(0), nullptr);
  EXPECT_EQ(model.shownHeatmap(0)->class_index, 0);
  EXPECT_FALSE(model.noHeatmapByDesign(0));
  EXPECT_EQ(model.heatmapNote(0, true), "");
  // Called normal, "Predicted class": no map by design, and the panel's line says why (only with the heatmap on).
  model.applyResult("s", withHeatmap(result(1, {0.2f, 0.1f, 0.7f}), 2));
  EXPECT_TRUE(model.noHeatmapByDesign(1));
  EXPECT_FALSE(model.heatmapToCome(1));
  EXPECT_TRUE(model.heatmapToCome(0));
  EXPECT_EQ(model.shownHeatmap(1), nullptr);
  EXPECT_EQ(model.heatmapNote(1, true), "No map: slice called normal (pick a class to see one)");
  EXPECT_EQ(model.heatmapNote(1, false), "");
  // A tie with normal is called normal (core/inference/slice_class.h).
  model.applyResult("s", result(2, {0.45f, 0.1f, 0.45f}));
  EXPECT_TRUE(model.noHeatmapByDesign(2));
  EXPECT_FALSE(model.noHeatmapByDesign(3)) << "not scored: not called normal";
  // A chosen class: its map on any slice, normal ones included; another class's map is not shown.
  model.setHeatmapClass(2);
  EXPECT_EQ(choices, 1);
  EXPECT_FALSE(model.noHeatmapByDesign(1));
  EXPECT_EQ(model.heatmapNote(1, true), "");
  ASSERT_NE(model.shownHeatmap(1), nullptr);
  EXPECT_EQ(model.shownHeatmap(0), nullptr);
  model.setHeatmapClass(-5);  // any negative: the predicted class
  EXPECT_EQ(model.heatmapClass(), -1);
  EXPECT_EQ(choices, 2);
  model.setHeatmapClass(-1);
  EXPECT_EQ(choices, 2) << "no change, no signal";
}

TEST(AiScoresModel, HeatmapChoiceOutlivesClearAndSeriesWhileTheClassesHaveIt) {
  AiScoresModel model;
  model.openSeries("a", 2, facts());
  model.setHeatmapClass(2);
  model.clear();
  EXPECT_EQ(model.heatmapClass(), 2);
  model.openSeries("b", 2, facts());
  EXPECT_EQ(model.heatmapClass(), 2);
  auto two = facts();
  two.classes = {"covid", "normal"};
  model.openSeries("c", 2, two);
  EXPECT_EQ(model.heatmapClass(), -1) << "class 2 does not exist in the new model";
}

TEST(AiScoresModel, NavigationIsOfferedOnlyWithSomewhereToGo) {
  AiScoresModel model;
  model.openSeries("s", 4, facts());
  EXPECT_EQ(model.emptyBarsText(), "Not scored yet…");
  EXPECT_FALSE(model.canGoToSuspicious());
  EXPECT_FALSE(model.canGoToHighest());
  model.applyResult("s", result(0, {0.2f, 0.1f, 0.7f}));  // normal
  EXPECT_FALSE(model.canGoToSuspicious());
  EXPECT_TRUE(model.canGoToHighest()) << "J goes to the highest COVID-19 score even without a suspicious slice";
  model.applyResult("s", result(1, {0.8f, 0.1f, 0.1f}));
  EXPECT_TRUE(model.canGoToSuspicious());
  model.setVerdictThreshold(0.9);
  EXPECT_FALSE(model.canGoToSuspicious());
  // Withheld scores (out of distribution): no navigation at all.
  auto guarded = facts();
  guarded.ood_guarded = true;
  model.openSeries("t", 2, guarded);
  for (int z = 0; z < 2; ++z) {
    auto r = result(z, {0.8f, 0.1f, 0.1f});
    r.ood = inf::OodScore{};
    r.ood->out_of_distribution = true;
    model.applyResult("t", r);
  }
  ASSERT_TRUE(model.withheld());
  EXPECT_FALSE(model.canGoToSuspicious());
  EXPECT_FALSE(model.canGoToHighest());
  EXPECT_EQ(model.emptyBarsText(), inf::oodWithheldShort()) << "the empty bars say why";
  EXPECT_FALSE(model.heatmapToCome(0)) << "no map while withheld";
  model.setShowAnyway(true);
  EXPECT_EQ(model.emptyBarsText(), "Not scored yet…");
  EXPECT_TRUE(model.heatmapToCome(0));
  EXPECT_TRUE(model.canGoToSuspicious());
  EXPECT_TRUE(model.canGoToHighest());
}

TEST(AiScoresModel, HeatmapNoteSaysNothingWhileScoresAreWithheld) {
  // Out of distribution: the withheld banner explains why no map is drawn. "Slice called normal" would reveal the
  // withheld classification of the slice.
  AiScoresModel model;
  auto guarded = facts();
  guarded.ood_guarded = true;
  model.openSeries("t", 2, guarded);
  const std::vector<std::vector<float>> scores = {{0.2f, 0.1f, 0.7f}, {0.8f, 0.1f, 0.1f}};  // normal, covid
  for (int z = 0; z < 2; ++z) {
    auto r = result(z, scores[static_cast<std::size_t>(z)]);
    r.ood = inf::OodScore{};
    r.ood->out_of_distribution = true;
    model.applyResult("t", r);
  }
  ASSERT_TRUE(model.withheld());
  EXPECT_EQ(model.heatmapNote(0, true), "") << "a withheld slice called normal must not say so";
  EXPECT_EQ(model.heatmapNote(1, true), "");
  // Shown anyway: the scores are visible again, and so is why a normal slice has no map.
  model.setShowAnyway(true);
  EXPECT_EQ(model.heatmapNote(0, true), "No map: slice called normal (pick a class to see one)");
  EXPECT_EQ(model.heatmapNote(1, true), "");
}
