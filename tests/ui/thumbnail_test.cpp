// Thumbnails: the slice as the viewer shows it (radiological flips, true aspect), windowed like the view.
#include "ui/viewer/thumbnail.h"

#include <gtest/gtest.h>

#include "tests/ui/synthetic_volume.h"

using namespace lunglens;

namespace {

// A 40 x 20 slice, left half air (-1000 HU), right half soft tissue (+40 HU).
std::shared_ptr<core::volume::Volume> halves(core::volume::Vec3 row_dir, double sx, double sy) {
  auto v = test::makeSyntheticVolume(40, 20, 1, sx, sy, false, row_dir, {0, 1, 0});
  std::int16_t* s = v->mutableSlice(0);
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 40; ++x) s[y * 40 + x] = x < 20 ? -1000 : 40;
  }
  v->markAllReady();
  return v;
}

int grey(const QImage& img, int x, int y) { return qGray(img.pixel(x, y)); }

}  // namespace

TEST(Thumbnail, KeepsThePhysicalAspectOnBlack) {
  // 40 x 20 voxels of 1 x 2 mm: 40 x 40 mm, so the thumbnail is filled.
  const QImage square = ui::viewer::makeThumbnail(*halves({1, 0, 0}, 1.0, 2.0), 0, core::volume::mediastinumWindow(), 80);
  ASSERT_EQ(square.size(), QSize(80, 80));
  EXPECT_GT(grey(square, 60, 2), 100);  // tissue reaches the top row
  // 40 x 20 voxels of 1 x 1 mm: 40 x 20 mm, letterboxed top and bottom.
  const QImage wide = ui::viewer::makeThumbnail(*halves({1, 0, 0}, 1.0, 1.0), 0, core::volume::mediastinumWindow(), 80);
  EXPECT_EQ(grey(wide, 60, 2), 0);
  EXPECT_GT(grey(wide, 60, 40), 100);
}

TEST(Thumbnail, MirrorsRowsThatPointToThePatientsRight) {
  const auto normal = ui::viewer::makeThumbnail(*halves({1, 0, 0}, 1.0, 2.0), 0, core::volume::mediastinumWindow(), 80);
  const auto flipped = ui::viewer::makeThumbnail(*halves({-1, 0, 0}, 1.0, 2.0), 0, core::volume::mediastinumWindow(), 80);
  EXPECT_LT(grey(normal, 10, 40), 30);   // air on the left
  EXPECT_GT(grey(normal, 70, 40), 100);  // tissue on the right
  EXPECT_GT(grey(flipped, 10, 40), 100);
  EXPECT_LT(grey(flipped, 70, 40), 30);
}

TEST(Thumbnail, NullForASliceNotLoadedYet) {
  auto v = test::makeSyntheticVolume(8, 8, 2, 1.0, 1.0, false);
  EXPECT_TRUE(ui::viewer::makeThumbnail(*v, 0, core::volume::mediastinumWindow(), 32).isNull());
}
