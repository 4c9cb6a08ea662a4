// The AI-results input: JSON round trip, validation, flagged slices, heatmap helpers.
#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/export/ai_results.h"
#include "core/inference/heatmap_grid.h"
#include "core/inference/slice_class.h"

using namespace lunglens::core::exporting;

namespace {
AiResults sample() {
  AiResults r;
  r.study_uid = "1.2.3";
  r.series_uid = "1.2.3.4";
  r.model = {"demo", "1.0", "synthetic v1", true};
  r.classes = {"covid", "pneumonia", "normal"};
  r.manifestation_classes = {"ggo", "consolidation", "fibrosis"};
  r.slices = {{0, "1.2.3.4.0", {0.1, 0.1, 0.8}, {}},
              {1, "1.2.3.4.1", {0.6, 0.3, 0.1}, {0.5, 0.3, 0.2}},
              {2, "1.2.3.4.2", {0.2, 0.5, 0.3}, {}}};
  r.verdict = {"covid", {{"suspicious_slices", 2}}, "rule", {}};
  return r;
}
}  // namespace

TEST(AiResults, JsonRoundTripAndFlaggedSlices) {
  const AiResults back = aiResultsFromJson(toJson(sample()), "t");
  ASSERT_EQ(back.slices.size(), 3u);
  EXPECT_EQ(back.slices[1].manifestation, (std::vector<double>{0.5, 0.3, 0.2}));
  EXPECT_EQ(back.model.provenance, "synthetic v1");
  EXPECT_TRUE(back.model.trained_on_synthetic);
  EXPECT_EQ(back.verdict.numbers.at("suspicious_slices"), 2);
  EXPECT_EQ(back.topClass(back.slices[2]), "pneumonia");
  EXPECT_EQ(suspiciousSlices(back), (std::vector<int>{1, 2}));
  AiResults given = back;
  given.verdict.flagged_slices = {2};
  EXPECT_EQ(suspiciousSlices(given), (std::vector<int>{2}));
  EXPECT_NE(disclaimerText(back.model).find("synthetic phantoms"), std::string::npos);
  EXPECT_EQ(displayClassName("covid"), "COVID-19");
}

TEST(AiResults, RejectsInconsistentProbabilities) {
  auto j = toJson(sample());
  j["slices"][0]["probabilities"] = {0.5, 0.5};
  EXPECT_THROW(aiResultsFromJson(j, "t"), lunglens::core::InputError);
  j = toJson(sample());
  j["slices"][1]["probabilities"] = {1.5, 0.0, 0.0};
  EXPECT_THROW(aiResultsFromJson(j, "t"), lunglens::core::InputError);
  j = toJson(sample());
  j["format"] = "something";
  EXPECT_THROW(aiResultsFromJson(j, "t"), lunglens::core::InputError);
}

TEST(Heatmap, BilinearUpsamplingWithHalfPixelCentres) {
  // 2 x 1 map [0, 1] to 4 columns: centres at 0.25, 0.75, 1.25, 1.75 map to source x -0.25(clamped 0), 0.25, 0.75,
  // 1.25 (clamped 1) -> 0, 0.25, 0.75, 1.
  const auto up = lunglens::core::inference::upsampleBilinear({2, 1, {0.0f, 1.0f}}, 4, 2);
  ASSERT_EQ(up.size(), 8u);
  EXPECT_FLOAT_EQ(up[0], 0.0f);
  EXPECT_FLOAT_EQ(up[1], 0.25f);
  EXPECT_FLOAT_EQ(up[2], 0.75f);
  EXPECT_FLOAT_EQ(up[3], 1.0f);
  EXPECT_FLOAT_EQ(up[5], 0.25f);
  EXPECT_THROW(lunglens::core::inference::upsampleBilinear({2, 2, {0.0f}}, 4, 4), lunglens::core::InputError);
}

TEST(Heatmap, OutsideAirIsConnectedToTheBorderOnly) {
  // 7 x 7: air everywhere except a ring of tissue (rows/cols 1..5) enclosing a pocket of air at the centre.
  const int n = 7;
  std::vector<std::int16_t> hu(n * n, -1000);
  for (int r = 1; r <= 5; ++r)
    for (int c = 1; c <= 5; ++c) hu[r * n + c] = 40;
  hu[3 * n + 3] = -980;  // enclosed "lung" air
  const auto outside = lunglens::core::inference::outsideBodyAir(hu.data(), n, n);
  EXPECT_EQ(outside[0], 1);
  EXPECT_EQ(outside[6 * n + 3], 1);
  EXPECT_EQ(outside[3 * n + 3], 0) << "enclosed air keeps its heat";
  EXPECT_EQ(outside[2 * n + 2], 0);
  EXPECT_EQ(std::count(outside.begin(), outside.end(), 1), n * n - 25);
}

// One tie rule for library, viewer and exports (core/inference/slice_class.h): a tie with "normal" is not a finding,
// so the export's top class and its suspicious slices agree with the library's top class.
TEST(AiResults, TopClassAndSuspiciousSlicesShareTheTieRule) {
  AiResults r = sample();
  r.classes = {"covid", "other_pneumonia", "normal"};
  r.slices = {{0, "a", {0.4, 0.2, 0.4}, {}}, {1, "b", {0.45, 0.45, 0.1}, {}}, {2, "c", {0.3, 0.2, 0.5}, {}}};
  r.verdict.flagged_slices.clear();
  EXPECT_EQ(r.topClass(r.slices[0]), "normal");  // COVID-19/normal tie: called normal
  EXPECT_EQ(r.topClass(r.slices[1]), "covid");   // a tie between findings: the first listed
  EXPECT_EQ(suspiciousSlices(r), (std::vector<int>{1}));
  const std::map<std::string, double> named = {{"covid", 0.4}, {"other_pneumonia", 0.2}, {"normal", 0.4}};
  EXPECT_EQ(lunglens::core::inference::topClass(named), r.topClass(r.slices[0]));
}

// Issue 13: the OOD guard's flag travels with the results; a series unlike the training data has no flagged slices
// (its scores are withheld) unless the reader asked to see them anyway, and the warning says which.
TEST(AiResults, OutOfDistributionFlagRoundTripsAndWithholdsFlaggedSlices) {
  AiResults r = sample();
  r.slices[1].ood_score = 812.5;
  r.slices[1].out_of_distribution = true;
  r.ood = {true, 3, 2, true};
  const AiResults back = aiResultsFromJson(toJson(r), "t");
  EXPECT_TRUE(back.ood.guarded);
  EXPECT_EQ(back.ood.scored, 3);
  EXPECT_EQ(back.ood.flagged, 2);
  EXPECT_TRUE(back.withheld());
  ASSERT_TRUE(back.slices[1].ood_score.has_value());
  EXPECT_DOUBLE_EQ(*back.slices[1].ood_score, 812.5);
  EXPECT_TRUE(back.slices[1].out_of_distribution);
  EXPECT_FALSE(back.slices[0].ood_score.has_value());
  EXPECT_TRUE(suspiciousSlices(back).empty());
  EXPECT_NE(oodWarningText(back).find("scores withheld"), std::string::npos) << oodWarningText(back);
  EXPECT_NE(oodWarningText(back).find("2 of 3"), std::string::npos) << oodWarningText(back);

  AiResults anyway = back;
  anyway.shown_anyway = true;
  EXPECT_FALSE(anyway.withheld());
  EXPECT_EQ(suspiciousSlices(anyway), (std::vector<int>{1, 2}));
  EXPECT_NE(oodWarningText(anyway).find("shown anyway"), std::string::npos);
  EXPECT_TRUE(aiResultsFromJson(toJson(anyway), "t").shown_anyway);

  EXPECT_EQ(oodWarningText(sample()), "");  // no guard, no warning
  nlohmann::json bad = toJson(r);
  bad["ood"]["flagged_slices"] = 4;  // more flagged than scored
  EXPECT_THROW(aiResultsFromJson(bad, "t"), lunglens::core::InputError);
}

// classify's JSON: a withheld study has no verdict; the per-slice guard scores and the series flag are kept.
TEST(AiResults, ClassifyJsonCarriesTheOodFlag) {
  nlohmann::json j = {
      {"series_uid", "1.2"},
      {"diagnosis_model", {{"name", "demo"}, {"version", "1.1.0"}}},
      {"ood", {{"guarded", true}, {"scored_slices", 2}, {"flagged_slices", 2}, {"out_of_distribution", true}}},
      {"study", {{"withheld", true}, {"reason", "unlike"}}},
      {"slices",
       {{{"index", 0u}, {"diagnosis", {{"covid", 0.9}, {"other_pneumonia", 0.05}, {"normal", 0.05}}}, {"ood_score", 900.0},
         {"out_of_distribution", true}},
        {{"index", 1u}, {"diagnosis", {{"covid", 0.2}, {"other_pneumonia", 0.7}, {"normal", 0.1}}}, {"ood_score", 950.0},
         {"out_of_distribution", true}}}}};
  const AiResults r = aiResultsFromClassifyJson(j, "classify.json");
  EXPECT_TRUE(r.ood.out_of_distribution);
  EXPECT_TRUE(r.withheld());
  EXPECT_TRUE(r.verdict.class_name.empty());
  ASSERT_TRUE(r.slices[0].ood_score.has_value());
  EXPECT_TRUE(r.slices[1].out_of_distribution);
  // classify --show-anyway printed the verdict: the results say the reader chose to see them.
  j["study"] = {{"verdict", "covid"}, {"rule", "top-k"}};
  const AiResults shown = aiResultsFromClassifyJson(j, "classify.json");
  EXPECT_TRUE(shown.shown_anyway);
  EXPECT_EQ(shown.verdict.class_name, "covid");
}
