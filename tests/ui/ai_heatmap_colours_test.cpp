// The heatmap colour maps the viewer offers (shared with the export): value as colour over a transparent
// background, each map its own colours, opacity growing with the value.
#include <gtest/gtest.h>

#include "ui/paint/heatmap_layer.h"

using namespace lunglens::ui::paint;

TEST(HeatmapColours, BelowTheFloorNothingIsDrawnInEveryMap) {
  for (auto map : {HeatmapColours::Rainbow, HeatmapColours::Hot, HeatmapColours::Viridis}) {
    EXPECT_EQ(heatmapColour(0.0f, map).alpha(), 0);
    EXPECT_EQ(heatmapColour(kHeatmapFloor, map).alpha(), 0);
    EXPECT_GT(heatmapColour(kHeatmapFloor + 0.05f, map).alpha(), 0);
    EXPECT_GT(heatmapColour(1.0f, map).alpha(), heatmapColour(0.5f, map).alpha());
    // No edge where the map crosses the floor: just above it the colour is nearly transparent.
    EXPECT_LT(heatmapColour(kHeatmapFloor + 0.01f, map).alpha(), 0.1 * 255);
  }
}

TEST(HeatmapColours, TheMapsDifferAndRainbowIsTheExportDefault) {
  EXPECT_EQ(heatmapColour(0.9f), heatmapColour(0.9f, HeatmapColours::Rainbow));
  EXPECT_NE(heatmapColour(0.9f, HeatmapColours::Hot).rgb(), heatmapColour(0.9f, HeatmapColours::Rainbow).rgb());
  EXPECT_NE(heatmapColour(0.9f, HeatmapColours::Viridis).rgb(), heatmapColour(0.9f, HeatmapColours::Hot).rgb());
  // Hot runs dark red -> white, Viridis ends yellow: the strongest value is the brightest.
  EXPECT_GT(heatmapColour(1.0f, HeatmapColours::Hot).lightness(), heatmapColour(0.3f, HeatmapColours::Hot).lightness());
  EXPECT_GT(heatmapColour(1.0f, HeatmapColours::Viridis).lightness(),
            heatmapColour(0.3f, HeatmapColours::Viridis).lightness());
}
