#include "tests/ui/synthetic_volume.h"

namespace lunglens::test {

int syntheticHu(int x, int y, int z) { return x + 100 * y + 1000 * z; }

std::shared_ptr<core::volume::Volume> makeSyntheticVolume(int cols, int rows, int slices, double sx, double sy,
                                                          bool ready, core::volume::Vec3 row_dir,
                                                          core::volume::Vec3 col_dir) {
  core::volume::Geometry g;
  g.cols = cols;
  g.rows = rows;
  g.slices = slices;
  g.spacing_mm = {sx, sy, 2.0};
  g.origin_mm = {-100.0, -120.0, -300.0};
  g.row_dir = row_dir;
  g.col_dir = col_dir;
  g.normal = core::volume::cross(row_dir, col_dir);
  auto volume = std::make_shared<core::volume::Volume>(g);
  for (int z = 0; z < slices; ++z) {
    std::int16_t* s = volume->mutableSlice(z);
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < cols; ++x) s[y * cols + x] = static_cast<std::int16_t>(syntheticHu(x, y, z));
    }
  }
  if (ready) volume->markAllReady();
  return volume;
}

}  // namespace lunglens::test
