#include <gtest/gtest.h>

#include "core/volume/window.h"

using namespace lunglens::core::volume;

TEST(Window, PresetsMatchTheReadingRoomDefaults) {
  EXPECT_EQ(lungWindow().width, 1500);
  EXPECT_EQ(lungWindow().level, -600);
  EXPECT_EQ(mediastinumWindow().width, 350);
  EXPECT_EQ(mediastinumWindow().level, 40);
  EXPECT_EQ(boneWindow().width, 2000);
  EXPECT_EQ(boneWindow().level, 500);
}

TEST(Window, ParsesNamesAndNumbers) {
  EXPECT_EQ(parseWindow("lung")->level, -600);
  const auto custom = parseWindow("400,40");
  ASSERT_TRUE(custom);
  EXPECT_EQ(custom->width, 400);
  EXPECT_EQ(custom->level, 40);
  EXPECT_FALSE(parseWindow("soft"));
  EXPECT_FALSE(parseWindow("0,40"));
  EXPECT_FALSE(parseWindow("400,"));
  EXPECT_FALSE(parseWindow("abc,40"));
}

TEST(Window, MapsEdgesAndMiddle) {
  const Window w{400, 40, ""};
  EXPECT_EQ(windowToGrey(-160, w), 0);
  EXPECT_EQ(windowToGrey(-1000, w), 0);
  EXPECT_EQ(windowToGrey(240, w), 255);
  EXPECT_EQ(windowToGrey(3000, w), 255);
  EXPECT_NEAR(windowToGrey(40, w), 128, 1);
}

TEST(Window, SliceLookupAgreesWithScalarMapping) {
  std::vector<std::int16_t> hu;
  for (int v = -1100; v <= 1100; v += 7) hu.push_back(static_cast<std::int16_t>(v));
  const Window w = lungWindow();
  const auto grey = windowSlice(hu.data(), hu.size(), w);
  for (std::size_t i = 0; i < hu.size(); ++i) ASSERT_EQ(grey[i], windowToGrey(hu[i], w)) << hu[i];
}
