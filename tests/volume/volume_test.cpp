#include <gtest/gtest.h>

#include <thread>

#include "core/common/error.h"
#include "core/volume/volume.h"

using namespace lunglens::core;
using namespace lunglens::core::volume;

static Geometry smallGeometry() {
  Geometry g;
  g.cols = 4;
  g.rows = 3;
  g.slices = 5;
  g.spacing_mm = {0.5, 0.5, 2.0};
  g.origin_mm = {-10, -20, -30};
  return g;
}

TEST(Volume, RejectsEmptyGeometry) {
  Geometry g = smallGeometry();
  g.rows = 0;
  EXPECT_THROW(Volume{g}, InputError);
}

TEST(Volume, UniformPositionsFollowSpacing) {
  Volume v(smallGeometry());
  EXPECT_DOUBLE_EQ(v.slicePosition_mm(0), -30.0);
  EXPECT_DOUBLE_EQ(v.slicePosition_mm(4), -22.0);
  const auto p = v.geometry().voxelToPatient(2, 1, 3);
  EXPECT_DOUBLE_EQ(p[0], -9.0);
  EXPECT_DOUBLE_EQ(p[1], -19.5);
  EXPECT_DOUBLE_EQ(p[2], -24.0);
}

TEST(Volume, SlicesBecomeVisibleOnlyWhenMarkedReady) {
  Volume v(smallGeometry());
  EXPECT_EQ(v.readySliceCount(), 0);
  EXPECT_FALSE(v.sliceReady(2));
  std::thread writer([&] {
    for (int z = 4; z >= 0; --z) {
      std::fill_n(v.mutableSlice(z), v.geometry().voxelsPerSlice(), static_cast<std::int16_t>(z * 100));
      v.markSliceReady(z);
    }
  });
  writer.join();
  EXPECT_TRUE(v.complete());
  EXPECT_EQ(v.at(3, 2, 4), 400);
  v.markSliceReady(4);  // marking twice does not count twice
  EXPECT_EQ(v.readySliceCount(), 5);
  EXPECT_FALSE(v.sliceReady(5));
}
