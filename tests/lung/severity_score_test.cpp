// The 6-zone CT severity score's per-zone bands (Chung et al., Radiology 2020): 0 %, 1-25, 26-50, 51-75, 76-100,
// in whole percent.
#include <gtest/gtest.h>

#include "core/lung/lung_analysis.h"

namespace lunglens::test {
namespace {

using core::lung::zoneScore;

TEST(ZoneScore, UnderHalfAPercentIsNone) {
  EXPECT_EQ(zoneScore(0.0), 0);
  EXPECT_EQ(zoneScore(0.1), 0);  // hilar vessels on a lung without disease (A0001)
  EXPECT_EQ(zoneScore(0.49), 0);
  EXPECT_EQ(zoneScore(0.5), 1);
  EXPECT_EQ(zoneScore(1.0), 1);
}

TEST(ZoneScore, BandEdgesInWholePercent) {
  EXPECT_EQ(zoneScore(25.0), 1);
  EXPECT_EQ(zoneScore(25.4), 1);
  EXPECT_EQ(zoneScore(25.5), 2);
  EXPECT_EQ(zoneScore(50.4), 2);
  EXPECT_EQ(zoneScore(50.5), 3);
  EXPECT_EQ(zoneScore(75.4), 3);
  EXPECT_EQ(zoneScore(75.5), 4);
  EXPECT_EQ(zoneScore(100.0), 4);
}

}  // namespace
}  // namespace lunglens::test
