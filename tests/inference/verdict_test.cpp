// The study verdict rule, on probabilities worked out by hand.
#include <gtest/gtest.h>

#include <limits>

#include "core/common/error.h"
#include "core/inference/verdict.h"

using namespace lunglens::core;
using namespace lunglens::core::inference;

namespace {
const std::vector<std::string> kClasses{"covid", "other_pneumonia", "normal"};
}

TEST(StudyVerdict, FocalCovidOverTheThresholdWins) {
  // 20 slices: 18 normal, 2 strongly COVID. k = ceil(0.1 * 20) = 2.
  std::vector<std::vector<float>> p(20, {0.05f, 0.05f, 0.9f});
  p[7] = {0.9f, 0.05f, 0.05f};
  p[8] = {0.7f, 0.2f, 0.1f};
  const auto v = studyVerdict(p, kClasses, {{"covid", 0.5}});
  EXPECT_EQ(v.top_k, 2);
  EXPECT_EQ(v.slices, 20);
  EXPECT_EQ(v.verdict, "covid");
  ASSERT_NE(v.score("covid"), nullptr);
  EXPECT_NEAR(v.score("covid")->score, 0.8, 1e-6);
  EXPECT_EQ(v.score("covid")->slices_over_threshold, 2);
  EXPECT_NEAR(v.score("covid")->fraction_over_threshold, 0.1, 1e-9);
  EXPECT_NEAR(v.score("other_pneumonia")->score, 0.125, 1e-6);
  EXPECT_NEAR(v.score("normal")->score, 0.9, 1e-6);
}

TEST(StudyVerdict, BelowThresholdEverywhereIsNormal) {
  std::vector<std::vector<float>> p(10, {0.3f, 0.2f, 0.5f});
  p[0] = {0.45f, 0.1f, 0.45f};
  const auto v = studyVerdict(p, kClasses, {{"covid", 0.5}});
  EXPECT_EQ(v.top_k, 1);
  EXPECT_NEAR(v.score("covid")->score, 0.45, 1e-6);
  EXPECT_EQ(v.verdict, "normal");
}

TEST(StudyVerdict, HigherDiseaseScoreWinsAndThresholdsComeFromTheManifest) {
  std::vector<std::vector<float>> p(5, {0.0f, 0.0f, 1.0f});
  p[0] = {0.55f, 0.45f, 0.0f};
  p[1] = {0.1f, 0.85f, 0.05f};
  // covid 0.55 passes its 0.5 threshold, other_pneumonia 0.85 passes the default 0.5 and is higher.
  EXPECT_EQ(studyVerdict(p, kClasses, {{"covid", 0.5}}).verdict, "other_pneumonia");
  // With a strict other_pneumonia threshold only covid passes.
  EXPECT_EQ(studyVerdict(p, kClasses, {{"covid", 0.5}, {"other_pneumonia", 0.9}}).verdict, "covid");
  VerdictRule wide;
  wide.top_fraction = 0.4;  // k = 2: covid (0.55 + 0.1) / 2 below 0.5, other (0.85 + 0.45) / 2 = 0.65
  const auto v = studyVerdict(p, kClasses, {{"covid", 0.5}}, wide);
  EXPECT_EQ(v.top_k, 2);
  EXPECT_NEAR(v.score("other_pneumonia")->score, 0.65, 1e-6);
  EXPECT_EQ(v.verdict, "other_pneumonia");
}

TEST(StudyVerdict, EmptyAndMalformedInput) {
  EXPECT_EQ(studyVerdict({}, kClasses, {}).verdict, "");
  EXPECT_THROW(studyVerdict({{0.5f, 0.5f}}, kClasses, {}), InputError);
}

TEST(StudyVerdict, NonFiniteScoresAreAnErrorNotNormal) {
  // Issue 18: every probability NaN (a manifest normalising with std 1e-308) gave the verdict "normal".
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::vector<float>> all_nan(12, {nan, nan, nan});
  EXPECT_THROW(studyVerdict(all_nan, kClasses, {{"covid", 0.5}}), InputError);
  std::vector<std::vector<float>> one_inf(12, {0.1f, 0.1f, 0.8f});
  one_inf[3][0] = std::numeric_limits<float>::infinity();
  EXPECT_THROW(studyVerdict(one_inf, kClasses, {{"covid", 0.5}}), InputError);
}

// Slices without lung (neck, upper abdomen) are not counted: a high COVID score there changes nothing, and n and k
// count the eligible slices only.
TEST(StudyVerdict, IneligibleSlicesAreNotCounted) {
  std::vector<std::vector<float>> p(10, {0.1f, 0.1f, 0.8f});
  p[0] = {0.95f, 0.0f, 0.05f};  // a neck slice the model calls COVID
  p[9] = {0.9f, 0.05f, 0.05f};  // an abdomen slice
  EXPECT_EQ(studyVerdict(p, kClasses, {{"covid", 0.5}}).verdict, "covid");
  VerdictRule rule;
  rule.eligible.assign(10, 1);
  rule.eligible[0] = rule.eligible[9] = 0;
  const auto v = studyVerdict(p, kClasses, {{"covid", 0.5}}, rule);
  EXPECT_EQ(v.verdict, "normal");
  EXPECT_EQ(v.slices, 8);
  EXPECT_EQ(v.excluded, 2);
  EXPECT_EQ(v.top_k, 1);
  EXPECT_EQ(v.score("covid")->slices_over_threshold, 0);
  EXPECT_NEAR(v.score("covid")->score, 0.1, 1e-6);
  // Every slice eligible: the same as no rule.
  rule.eligible.assign(10, 1);
  EXPECT_EQ(studyVerdict(p, kClasses, {{"covid", 0.5}}, rule).verdict, "covid");
  // Eligibility of another length is bad input.
  rule.eligible.assign(3, 1);
  EXPECT_THROW(studyVerdict(p, kClasses, {{"covid", 0.5}}, rule), InputError);
}
