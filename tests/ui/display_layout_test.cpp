// DisplayLayout: radiological flips, orientation letters, aspect from pixel spacing, view <-> voxel mapping.
#include "ui/viewer/display_layout.h"

#include <gtest/gtest.h>

using namespace lunglens;
using ui::viewer::Camera;
using ui::viewer::DisplayLayout;
using ui::viewer::ViewPoint;

namespace {

core::volume::Geometry axial(int cols, int rows, double sx, double sy, core::volume::Vec3 row = {1, 0, 0},
                             core::volume::Vec3 col = {0, 1, 0}) {
  core::volume::Geometry g;
  g.cols = cols;
  g.rows = rows;
  g.slices = 1;
  g.spacing_mm = {sx, sy, 1.0};
  g.row_dir = row;
  g.col_dir = col;
  g.normal = core::volume::cross(row, col);
  return g;
}

}  // namespace

TEST(DisplayLayout, StandardAxialShowsPatientLeftOnTheRightAndAnteriorAtTheTop) {
  const DisplayLayout layout(axial(512, 512, 0.7, 0.7));
  EXPECT_FALSE(layout.flipX());
  EXPECT_FALSE(layout.flipY());
  EXPECT_EQ(layout.letterLeft(), "R");
  EXPECT_EQ(layout.letterRight(), "L");
  EXPECT_EQ(layout.letterTop(), "A");
  EXPECT_EQ(layout.letterBottom(), "P");
}

TEST(DisplayLayout, RowsPointingToPatientRightAreMirrored) {
  const DisplayLayout layout(axial(10, 8, 1.0, 1.0, {-1, 0, 0}, {0, 1, 0}));
  EXPECT_TRUE(layout.flipX());
  EXPECT_FALSE(layout.flipY());
  // After the flip the screen still shows R on the left.
  EXPECT_EQ(layout.letterLeft(), "R");
  EXPECT_EQ(layout.letterRight(), "L");
  // Displayed column 0 is the volume's last column.
  EXPECT_EQ(layout.displayedToVoxel(0, 0).x, 9);
  EXPECT_EQ(layout.displayedToVoxel(9, 0).x, 0);
}

TEST(DisplayLayout, ColumnsPointingAnteriorAreFlippedVertically) {
  const DisplayLayout layout(axial(10, 8, 1.0, 1.0, {1, 0, 0}, {0, -1, 0}));
  EXPECT_FALSE(layout.flipX());
  EXPECT_TRUE(layout.flipY());
  EXPECT_EQ(layout.letterTop(), "A");
  EXPECT_EQ(layout.displayedToVoxel(0, 0).y, 7);
}

TEST(DisplayLayout, OrientationLettersFollowTheDominantAxis) {
  EXPECT_EQ(ui::viewer::orientationLetter({0.9, 0.1, 0.0}), "L");
  EXPECT_EQ(ui::viewer::orientationLetter({-0.9, 0.1, 0.0}), "R");
  EXPECT_EQ(ui::viewer::orientationLetter({0.1, -0.9, 0.2}), "A");
  EXPECT_EQ(ui::viewer::orientationLetter({0.0, 0.3, 0.9}), "S");
  EXPECT_EQ(ui::viewer::orientationLetter({0.0, 0.3, -0.9}), "I");
}

TEST(DisplayLayout, FitUsesPhysicalSizeSoAnisotropicPixelsKeepTheirAspect) {
  // 100 columns of 0.5 mm (50 mm wide) by 100 rows of 1 mm (100 mm tall) in a 400 x 400 view.
  const DisplayLayout layout(axial(100, 100, 0.5, 1.0));
  const Camera fit = layout.fitCamera();
  EXPECT_DOUBLE_EQ(layout.pixelsPerMm(fit, 400, 400), 4.0);  // height limits: 400 px / 100 mm
  // The image spans x 100..300 px: 200 px for 50 mm, the same scale as the 400 px for 100 mm vertically.
  EXPECT_FALSE(layout.viewToVoxel(fit, 400, 400, {99.5, 200}).has_value());
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {100.5, 200})->x, 0);
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {299.5, 200})->x, 99);
  EXPECT_FALSE(layout.viewToVoxel(fit, 400, 400, {300.5, 200}).has_value());
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {200, 0.5})->y, 0);
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {200, 399.5})->y, 99);
  // 2 view pixels per column, 4 per row.
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {100.5 + 2 * 17, 4.0 * 33 + 1})->x, 17);
  EXPECT_EQ(layout.viewToVoxel(fit, 400, 400, {100.5 + 2 * 17, 4.0 * 33 + 1})->y, 33);
}

TEST(DisplayLayout, ViewAndImageMillimetresRoundTripUnderZoomAndPan) {
  const DisplayLayout layout(axial(256, 200, 0.8, 0.8));
  const Camera camera{3.0, 40.0, 75.0};
  double x = 0, y = 0;
  layout.viewToImageMm(camera, 640, 480, {123.0, 456.0}, x, y);
  const ViewPoint back = layout.imageMmToView(camera, 640, 480, x, y);
  EXPECT_NEAR(back.x, 123.0, 1e-9);
  EXPECT_NEAR(back.y, 456.0, 1e-9);
  // The view centre shows the camera centre.
  layout.viewToImageMm(camera, 640, 480, {320, 240}, x, y);
  EXPECT_NEAR(x, 40.0, 1e-9);
  EXPECT_NEAR(y, 75.0, 1e-9);
}

TEST(DisplayLayout, FlippedSlicesMapViewPixelsToMirroredVoxels) {
  const DisplayLayout layout(axial(10, 10, 1.0, 1.0, {-1, 0, 0}, {0, -1, 0}));
  const Camera fit = layout.fitCamera();
  const auto topLeft = layout.viewToVoxel(fit, 100, 100, {1, 1});
  ASSERT_TRUE(topLeft);
  EXPECT_EQ(topLeft->x, 9);
  EXPECT_EQ(topLeft->y, 9);
}
