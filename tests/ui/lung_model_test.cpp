// The lung analysis' presenter side without a display: the dock section's texts and table from an analysis, the
// involvement curve with its "no lung" gaps, results keyed by series (a late one for a closed series is dropped),
// and the AI scores model leaving slices without lung out of the verdict, N / P and J.
#include "ui/ai/lung_model.h"

#include <gtest/gtest.h>

#include "core/export/heatmap_clip.h"
#include "core/inference/verdict.h"
#include "ui/ai/ai_scores_model.h"

using namespace lunglens;
namespace lung = core::lung;
namespace inf = core::inference;
using ui::ai::AiScoresModel;
using ui::ai::LungModel;

namespace {

// Seven 4 x 4 slices; slices 0, 1 and 6 have no lung (neck, upper abdomen); each lung slice holds the right lung
// in columns 0-1 and the left in 2-3.
std::shared_ptr<lung::LungAnalysis> analysis(int slices = 7) {
  auto a = std::make_shared<lung::LungAnalysis>();
  a->mask.geometry.cols = 4;
  a->mask.geometry.rows = 4;
  a->mask.geometry.slices = slices;
  a->mask.labels.assign(static_cast<std::size_t>(16 * slices), 0);
  a->mask.lung_voxels_per_slice.assign(static_cast<std::size_t>(slices), 0);
  a->slices.resize(static_cast<std::size_t>(slices));
  for (int z = 2; z < slices - 1; ++z) {
    for (int i = 0; i < 16; ++i)
      a->mask.labels[static_cast<std::size_t>(z * 16 + i)] =
          static_cast<std::uint8_t>(i % 4 < 2 ? lung::Zone::RightLower : lung::Zone::LeftLower);
    a->mask.lung_voxels_per_slice[static_cast<std::size_t>(z)] = 16;
    a->slices[static_cast<std::size_t>(z)] = {16, 16.0, -700.0, 10.0 * z, 2.5};
  }
  a->right = {40, 2810.4, -820, 12.0, 3.0};
  a->left = {40, 2439.6, -830, 8.0, 1.0};
  a->both = {80, 5250.0, -825, 10.0, 2.0};
  for (int i = 0; i < lung::kZoneCount; ++i) {
    a->zones[static_cast<std::size_t>(i)] = {10, 800.0 + i, -800, 5.0 * i, 1.0 * i};
    a->zone_scores[static_cast<std::size_t>(i)] = lung::zoneScore(6.0 * i);
  }
  a->severity_score = 0;
  for (int s : a->zone_scores) a->severity_score += s;
  return a;
}

ui::ai::ModelFacts facts() {
  ui::ai::ModelFacts f;
  f.classes = {"covid", "other_pneumonia", "normal"};
  f.thresholds = {{"covid", 0.5}, {"other_pneumonia", 0.6}};
  f.name = "test";
  return f;
}

inf::SliceResult result(int slice, std::vector<float> p) {
  inf::SliceResult r;
  r.slice = slice;
  r.diagnosis = std::move(p);
  return r;
}

}  // namespace

TEST(LungModel, StatesAndLateResultsOfAnotherSeries) {
  LungModel m;
  int changes = 0;
  QObject::connect(&m, &LungModel::changed, [&]() { ++changes; });
  EXPECT_EQ(m.state(), LungModel::State::NoSeries);
  m.openSeries("1.2.3", 7);
  EXPECT_EQ(m.state(), LungModel::State::Waiting);
  EXPECT_NE(m.statusText().find("loading"), std::string::npos);
  EXPECT_TRUE(m.setRunning("1.2.3"));
  EXPECT_EQ(m.statusText(), "Analysing the lungs…");
  // A result for a series closed meanwhile is dropped, whatever its content.
  EXPECT_FALSE(m.applyResult("9.9.9", analysis()));
  EXPECT_FALSE(m.applyFailure("9.9.9", "no lungs found"));
  EXPECT_EQ(m.state(), LungModel::State::Running);
  EXPECT_EQ(m.analysis(), nullptr);
  EXPECT_TRUE(m.sliceEligibility().empty());  // unknown: every slice counts
  EXPECT_FALSE(m.noLung(0));
  // An analysis of another slice count is not this series': reported, not shown.
  EXPECT_TRUE(m.applyResult("1.2.3", analysis(5)));
  EXPECT_EQ(m.state(), LungModel::State::Failed);
  EXPECT_NE(m.statusText().find("does not match"), std::string::npos);
  EXPECT_TRUE(m.applyResult("1.2.3", analysis()));
  EXPECT_EQ(m.state(), LungModel::State::Ready);
  ASSERT_NE(m.analysis(), nullptr);
  m.clear();
  EXPECT_FALSE(m.applyResult("1.2.3", analysis()));
  EXPECT_EQ(m.analysis(), nullptr);
  EXPECT_EQ(changes, 5);
}

// The AI heatmap's clip follows the analysis: the body-air fallback until it is ready (or when it failed), then
// the lungs; the section says which.
TEST(LungModel, HeatmapClipNoteFollowsTheAnalysis) {
  LungModel m;
  EXPECT_EQ(m.heatmapClipNote(), "");
  m.openSeries("1.2.3", 7);
  const std::string waiting = "Until the lung analysis is done, the heatmap is kept off the air outside the body only";
  EXPECT_EQ(m.heatmapClipNote(), waiting);
  m.setRunning("1.2.3");
  EXPECT_EQ(m.heatmapClipNote(), waiting);
  m.applyResult("1.2.3", analysis());
  ASSERT_EQ(m.state(), LungModel::State::Ready);
  EXPECT_EQ(m.heatmapClipNote(), core::exporting::heatmapClipNote(true));
  EXPECT_NE(m.heatmapClipNote().find("inside the lungs"), std::string::npos) << m.heatmapClipNote();
  m.openSeries("4.5.6", 7);
  m.applyFailure("4.5.6", "no lungs found");
  EXPECT_EQ(m.heatmapClipNote(), core::exporting::heatmapClipNote(false, "the lung analysis failed"));
  EXPECT_NE(m.heatmapClipNote().find("off the air outside the body"), std::string::npos) << m.heatmapClipNote();
  m.clear();
  EXPECT_EQ(m.heatmapClipNote(), "");
}

TEST(LungModel, BadInputIsALineInTheSection) {
  LungModel m;
  m.openSeries("1.2.3", 1);
  m.setRunning("1.2.3");
  m.applyFailure("1.2.3", "no lungs found: a single slice");
  EXPECT_EQ(m.state(), LungModel::State::Failed);
  EXPECT_EQ(m.statusText(), "No lung analysis: no lungs found: a single slice");
  EXPECT_TRUE(m.zoneRows().empty());
  EXPECT_EQ(m.severityText(), "");
  EXPECT_TRUE(m.involvementCurve().empty());
}

TEST(LungModel, SectionTextsComeFromTheAnalysis) {
  LungModel m;
  m.openSeries("1.2.3", 7);
  const auto a = analysis();
  ASSERT_TRUE(m.applyResult("1.2.3", a));
  const auto rows = m.zoneRows();
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].label, "Right upper");
  EXPECT_EQ(rows[2].label, "Right lower");
  EXPECT_EQ(rows[3].label, "Left upper");
  EXPECT_EQ(rows[5].label, "Left lower");
  for (int i = 0; i < 6; ++i) {
    EXPECT_DOUBLE_EQ(rows[static_cast<std::size_t>(i)].ggo_percent, 5.0 * i);
    EXPECT_DOUBLE_EQ(rows[static_cast<std::size_t>(i)].consolidation_percent, 1.0 * i);
    EXPECT_EQ(rows[static_cast<std::size_t>(i)].score, lung::zoneScore(6.0 * i));
  }
  EXPECT_EQ(m.severityText(), "CT severity score " + std::to_string(a->severity_score) + " / 24");
  EXPECT_EQ(m.volumesText(), "Right 2\u2009810 mL · Left 2\u2009440 mL · Total 5\u2009250 mL");
  EXPECT_NE(m.involvementText().find("Involved 12.0 %"), std::string::npos) << m.involvementText();
  EXPECT_NE(std::string(LungModel::kindNote()).find("not an AI score"), std::string::npos);
  EXPECT_NE(m.bandsText().find("-700 to -250 HU"), std::string::npos) << m.bandsText();
  EXPECT_EQ(m.sliceText(0), "This slice: no lung");
  EXPECT_NE(m.sliceText(3).find("32.5 %"), std::string::npos) << m.sliceText(3);
}

TEST(LungModel, InvolvementCurveAndEligibilityMarkSlicesWithoutLung) {
  LungModel m;
  m.openSeries("1.2.3", 7);
  ASSERT_TRUE(m.applyResult("1.2.3", analysis()));
  const auto curve = m.involvementCurve();
  ASSERT_EQ(curve.size(), 7u);
  for (int z : {0, 1, 6}) {
    EXPECT_LT(curve[static_cast<std::size_t>(z)], 0.0f) << z;
    EXPECT_TRUE(m.noLung(z));
  }
  for (int z = 2; z <= 5; ++z) {
    EXPECT_NEAR(curve[static_cast<std::size_t>(z)], 10.0 * z + 2.5, 1e-4);
    EXPECT_FALSE(m.noLung(z));
  }
  EXPECT_EQ(m.sliceEligibility(), (std::vector<std::uint8_t>{0, 0, 1, 1, 1, 1, 0}));
}

// The verdict, N / P and J never count a slice without lung: the model calls the neck slice (1) and the abdomen
// slice (6) COVID with the highest probabilities of the series.
TEST(LungModel, SlicesWithoutLungAreNotCountedByVerdictNavigationOrHighest) {
  LungModel lungs;
  lungs.openSeries("1.2.3", 7);
  ASSERT_TRUE(lungs.applyResult("1.2.3", analysis()));
  AiScoresModel scores;
  scores.openSeries("1.2.3", 7, facts());
  const std::vector<std::vector<float>> p = {{0.1f, 0.1f, 0.8f}, {0.97f, 0.02f, 0.01f}, {0.2f, 0.1f, 0.7f},
                                             {0.6f, 0.1f, 0.3f}, {0.1f, 0.1f, 0.8f},    {0.1f, 0.1f, 0.8f},
                                             {0.99f, 0.0f, 0.01f}};
  for (int z = 0; z < 7; ++z) ASSERT_TRUE(scores.applyResult("1.2.3", result(z, p[static_cast<std::size_t>(z)])));
  // Without the lung analysis: the abdomen slice is the highest, the neck slice suspicious.
  EXPECT_EQ(scores.highestScoring(), 6);
  EXPECT_EQ(scores.nextSuspicious(3, -1), 1);
  EXPECT_EQ(scores.verdict().slices, 7);

  scores.setSliceEligibility(lungs.sliceEligibility());
  EXPECT_FALSE(scores.eligible(1));
  EXPECT_TRUE(scores.eligible(3));
  EXPECT_EQ(scores.ineligibleCount(), 3);
  EXPECT_FALSE(scores.suspicious(1));
  EXPECT_FALSE(scores.suspicious(6));
  EXPECT_TRUE(scores.suspicious(3));
  EXPECT_EQ(scores.suspiciousCount(), 1);
  EXPECT_EQ(scores.highestScoring(), 3);
  EXPECT_EQ(scores.nextSuspicious(3, -1), std::nullopt);
  EXPECT_EQ(scores.nextSuspicious(3, +1), std::nullopt);
  EXPECT_EQ(scores.nextSuspicious(0, +1), 3);
  const auto v = scores.verdict();
  EXPECT_EQ(v.slices, 4);
  EXPECT_EQ(v.excluded, 3);
  // The same numbers as the shared rule over the four lung slices.
  inf::VerdictRule rule;
  rule.eligible = lungs.sliceEligibility();
  std::map<std::string, double> thresholds = facts().thresholds;
  const auto expected = inf::studyVerdict(p, facts().classes, thresholds, rule);
  EXPECT_EQ(v.verdict, expected.verdict);
  EXPECT_DOUBLE_EQ(v.score("covid")->score, expected.score("covid")->score);
  EXPECT_NE(scores.verdictDetails().find("3 slices without lung not counted"), std::string::npos)
      << scores.verdictDetails();
  // Eligibility of another length is ignored; a new series forgets it.
  scores.setSliceEligibility({1, 0});
  EXPECT_EQ(scores.ineligibleCount(), 0);
  scores.setSliceEligibility(lungs.sliceEligibility());
  scores.openSeries("4.5.6", 7, facts());
  EXPECT_TRUE(scores.eligible(1));
}
