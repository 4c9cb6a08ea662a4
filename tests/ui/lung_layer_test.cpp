// The lung overlay's picture (ui/paint/lung_layer.h): the contour on the lungs' edge and where the two lungs meet,
// ground glass and consolidation by the analysis' HU bands inside the lungs only, display flips applied, nothing on
// a slice without lung.
#include "ui/paint/lung_layer.h"

#include <gtest/gtest.h>

#include "core/common/error.h"

using namespace lunglens;
namespace lung = core::lung;

namespace {

// One 8 x 6 slice (and an empty one): right lung in columns 1-3, left lung in columns 4-6, rows 1-4.
lung::LungAnalysis twoLungs() {
  lung::LungAnalysis a;
  a.mask.geometry.cols = 8;
  a.mask.geometry.rows = 6;
  a.mask.geometry.slices = 2;
  a.mask.labels.assign(8 * 6 * 2, 0);
  for (int r = 1; r <= 4; ++r)
    for (int c = 1; c <= 6; ++c)
      a.mask.labels[static_cast<std::size_t>(r * 8 + c)] =
          static_cast<std::uint8_t>(c <= 3 ? lung::Zone::RightMiddle : lung::Zone::LeftMiddle);
  a.mask.lung_voxels_per_slice = {24, 0};
  return a;
}

}  // namespace

TEST(LungLayer, OpacityClassFollowsTheBands) {
  const lung::HuBands b;
  EXPECT_EQ(ui::paint::opacityClass(-900, b), 0);
  EXPECT_EQ(ui::paint::opacityClass(-700, b), 1);
  EXPECT_EQ(ui::paint::opacityClass(-251, b), 1);
  EXPECT_EQ(ui::paint::opacityClass(-250, b), 2);
  EXPECT_EQ(ui::paint::opacityClass(100, b), 2);
  EXPECT_EQ(ui::paint::opacityClass(101, b), 0);
}

TEST(LungLayer, ContourOpacitiesAndFlips) {
  const lung::LungAnalysis a = twoLungs();
  std::vector<std::int16_t> hu(8 * 6, -850);  // aerated lung
  hu[2 * 8 + 2] = -500;                        // ground glass, inside the right lung (not on its edge)
  hu[3 * 8 + 5] = 20;                          // consolidation, inside the left lung
  hu[0] = 30;                                  // soft tissue outside the lungs: never coloured
  const QRgb contour = ui::paint::lungContourColour().rgba();
  const QRgb ggo = ui::paint::groundGlassColour().rgba();
  const QRgb cons = ui::paint::consolidationColour().rgba();

  const QImage img = ui::paint::lungLayer(a, 0, hu.data(), 8, 6, {false, false});
  ASSERT_EQ(img.size(), QSize(8, 6));
  EXPECT_EQ(img.pixel(0, 0), 0u);          // outside
  EXPECT_EQ(img.pixel(1, 1), contour);     // the lungs' corner
  EXPECT_EQ(img.pixel(3, 2), contour);     // the right lung's edge against the left
  EXPECT_EQ(img.pixel(4, 2), contour);     // and the left's against the right
  EXPECT_EQ(img.pixel(2, 2), ggo);
  EXPECT_EQ(img.pixel(5, 3), cons);
  EXPECT_EQ(img.pixel(2, 3), 0u);          // aerated lung: transparent

  // Opacities off: contour only; contour off: opacities only.
  const QImage contourOnly = ui::paint::lungLayer(a, 0, hu.data(), 8, 6, {false, false}, {true, false});
  EXPECT_EQ(contourOnly.pixel(2, 2), 0u);
  EXPECT_EQ(contourOnly.pixel(1, 1), contour);
  const QImage opacityOnly = ui::paint::lungLayer(a, 0, hu.data(), 8, 6, {false, false}, {false, true});
  EXPECT_EQ(opacityOnly.pixel(1, 1), 0u);
  EXPECT_EQ(opacityOnly.pixel(5, 3), cons);

  // Radiological flips move every pixel to its mirrored place.
  const QImage flipped = ui::paint::lungLayer(a, 0, hu.data(), 8, 6, {true, true});
  EXPECT_EQ(flipped.pixel(7 - 2, 5 - 2), ggo);
  EXPECT_EQ(flipped.pixel(7 - 5, 5 - 3), cons);

  // With the quantification's own per-voxel classes, those are drawn (a vessel in the band is not ground glass).
  lung::LungAnalysis counted = a;
  counted.mask.opacity.assign(counted.mask.labels.size(), 0);
  counted.mask.opacity[2 * 8 + 5] = static_cast<std::uint8_t>(lung::Opacity::GroundGlass);
  const QImage fromClasses = ui::paint::lungLayer(counted, 0, hu.data(), 8, 6, {false, false});
  EXPECT_EQ(fromClasses.pixel(2, 2), 0u);  // in the band, but not counted
  EXPECT_EQ(fromClasses.pixel(5, 2), ggo);
  EXPECT_EQ(fromClasses.pixel(5, 3), 0u);

  // A slice without lung: nothing; another grid: refused.
  const QImage none = ui::paint::lungLayer(a, 1, hu.data(), 8, 6, {false, false});
  for (int y = 0; y < 6; ++y)
    for (int x = 0; x < 8; ++x) EXPECT_EQ(qAlpha(none.pixel(x, y)), 0);
  EXPECT_THROW(ui::paint::lungLayer(a, 0, hu.data(), 6, 6, {false, false}), core::InputError);
  EXPECT_THROW(ui::paint::lungLayer(a, 2, hu.data(), 8, 6, {false, false}), core::InputError);
}
