#include <gtest/gtest.h>

#include <cmath>

#include "core/metrics/roc.h"

using namespace lunglens::core::metrics;

TEST(RocAuc, CountsOrderedPairsByHand) {
  // positives {0.9, 0.7}, negatives {0.8, 0.6}: 3 of 4 pairs ordered correctly.
  EXPECT_DOUBLE_EQ(rocAuc({0.9, 0.8, 0.7, 0.6}, {true, false, true, false}), 0.75);
}

TEST(RocAuc, TiesCountOneHalf) {
  // positives {0.5, 0.2}, negatives {0.5, 0.5}: two ties (0.5 each) and two losses -> 1 / 4.
  EXPECT_DOUBLE_EQ(rocAuc({0.5, 0.5, 0.5, 0.2}, {true, false, false, true}), 0.25);
  EXPECT_DOUBLE_EQ(rocAuc({0.3, 0.3, 0.3}, {true, false, true}), 0.5);
}

TEST(RocAuc, ExtremesAndMissingClass) {
  EXPECT_DOUBLE_EQ(rocAuc({0.9, 0.1}, {true, false}), 1.0);
  EXPECT_DOUBLE_EQ(rocAuc({0.1, 0.9}, {true, false}), 0.0);
  EXPECT_TRUE(std::isnan(rocAuc({0.1, 0.9}, {true, true})));
}

TEST(RocCurve, TiedScoresMoveBothRatesAndAreaMatchesAuc) {
  const std::vector<double> s{0.9, 0.5, 0.5, 0.1};
  const std::vector<bool> y{true, true, false, false};
  const auto c = rocCurve(s, y);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_DOUBLE_EQ(c[1].fpr, 0.0);
  EXPECT_DOUBLE_EQ(c[1].tpr, 0.5);
  EXPECT_DOUBLE_EQ(c[2].threshold, 0.5);
  EXPECT_DOUBLE_EQ(c[2].fpr, 0.5);
  EXPECT_DOUBLE_EQ(c[2].tpr, 1.0);
  EXPECT_DOUBLE_EQ(c.back().fpr, 1.0);
  double area = 0;
  for (std::size_t i = 1; i < c.size(); ++i) area += (c[i].fpr - c[i - 1].fpr) * (c[i].tpr + c[i - 1].tpr) / 2;
  EXPECT_DOUBLE_EQ(area, 0.875);
  EXPECT_DOUBLE_EQ(rocAuc(s, y), 0.875);
}
