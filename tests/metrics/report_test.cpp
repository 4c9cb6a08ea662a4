#include <gtest/gtest.h>

#include "core/metrics/classification_report.h"
#include "core/metrics/report_writers.h"

using namespace lunglens::core::metrics;

// true -> predicted: a->a, a->a, a->b, b->b, b->c, c->c, c->c, c->a; the predicted class gets 0.6.
static std::vector<Prediction> eightCases() {
  const int pairs[8][2] = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 2}, {2, 0}};
  std::vector<Prediction> cases;
  for (int i = 0; i < 8; ++i) {
    Prediction p;
    p.subject_id = "s" + std::to_string(i);
    p.label = pairs[i][0];
    p.probabilities = {0.2, 0.2, 0.2};
    p.probabilities[static_cast<std::size_t>(pairs[i][1])] = 0.6;
    cases.push_back(p);
  }
  return cases;
}

TEST(ClassificationReport, MatchesHandComputedConfusionAndRates) {
  const auto r = evaluatePoint({"a", "b", "c"}, eightCases(), {"a", 0.5, 0, 1});
  EXPECT_EQ(r.n, 8);
  EXPECT_DOUBLE_EQ(r.accuracy, 5.0 / 8.0);
  EXPECT_EQ(r.confusion, (std::vector<std::vector<int>>{{2, 1, 0}, {0, 1, 1}, {1, 0, 2}}));
  const auto& a = r.per_class[0];
  EXPECT_EQ(a.support, 3);
  EXPECT_DOUBLE_EQ(a.sensitivity, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(a.specificity, 4.0 / 5.0);
  EXPECT_DOUBLE_EQ(a.precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(a.f1, 2.0 / 3.0);
  const auto& b = r.per_class[1];
  EXPECT_DOUBLE_EQ(b.sensitivity, 0.5);
  EXPECT_DOUBLE_EQ(b.specificity, 5.0 / 6.0);
  // AUC of class a: positives score {.6,.6,.2}, negatives {.2,.2,.2,.2,.6}:
  // each .6 positive beats 4 and ties 1 (4.5), the .2 positive ties 4 and loses 1 (2) -> 11 / 15.
  EXPECT_DOUBLE_EQ(a.auc, 11.0 / 15.0);
  ASSERT_TRUE(r.positive_vs_rest);
  EXPECT_EQ(r.positive_vs_rest->tp, 2);
  EXPECT_EQ(r.positive_vs_rest->fp, 1);
  EXPECT_EQ(r.positive_vs_rest->tn, 4);
  EXPECT_EQ(r.positive_vs_rest->fn, 1);
  EXPECT_DOUBLE_EQ(r.positive_vs_rest->accuracy, 6.0 / 8.0);
}

TEST(ClassificationReport, RejectsMismatchedRows) {
  auto cases = eightCases();
  cases[3].probabilities.pop_back();
  EXPECT_ANY_THROW(evaluatePoint({"a", "b", "c"}, cases, {}));
}

TEST(Bootstrap, IntervalsBracketThePointEstimateAndAreReproducible) {
  std::vector<Prediction> cases;
  for (int s = 0; s < 40; ++s) {
    for (int slice = 0; slice < 5; ++slice) {
      Prediction p;
      p.subject_id = "subject" + std::to_string(s);
      p.label = s % 2;
      const double signal = (s % 2 ? 0.65 : 0.35) + ((s * 7 + slice * 3) % 11 - 5) * 0.05;
      p.probabilities = {1.0 - signal, signal};
      cases.push_back(p);
    }
  }
  EvaluateOptions o{"b", 0.5, 300, 7};
  const auto r1 = evaluate({"a", "b"}, cases, o);
  const auto r2 = evaluate({"a", "b"}, cases, o);
  EXPECT_EQ(r1.bootstrap_unit, "subject");
  const auto ci = r1.ci95.at("accuracy");
  EXPECT_LT(ci.low, r1.accuracy);
  EXPECT_GT(ci.high, r1.accuracy);
  EXPECT_LT(ci.high - ci.low, 0.3);
  EXPECT_DOUBLE_EQ(ci.low, r2.ci95.at("accuracy").low);
  EXPECT_TRUE(r1.ci95.count("b_vs_rest.auc"));
}

TEST(ReportWriters, JsonAndMarkdownCarryTheNumbers) {
  const auto r = evaluate({"covid", "other_pneumonia", "normal"}, eightCases(), {"covid", 0.5, 50, 1});
  const auto j = toJson(r);
  EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), 0.625);
  EXPECT_EQ(j["confusion_matrix"]["counts"][2][0].get<int>(), 1);
  EXPECT_EQ(j["positive_vs_rest"]["tp"].get<int>(), 2);
  const auto md = toMarkdown(r, "Slice level", "diagnosis", true);
  EXPECT_NE(md.find("62.50%"), std::string::npos);
  EXPECT_NE(md.find("synthetic phantoms"), std::string::npos);
  EXPECT_NE(md.find("94.87%"), std::string::npos);
}
