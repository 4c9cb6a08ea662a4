// core::volume reformats: a phantom whose truth puts a finding at a known patient position shows it where the
// spacing says on the axial, coronal and sagittal planes (for the usual and the mirrored orientation); slabs equal
// numpy-style reductions over the same planes; oblique and tilted series are refused with the angle.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/common/error.h"
#include "core/volume/reformat.h"
#include "tests/volume/finding_phantom.h"

using namespace lunglens::core::volume;
using lunglens::test::kFinding;
using lunglens::test::findingPhantom;

namespace {

// Centroid (column, row) of the pixels above 0 HU in a displayed plane.
std::array<double, 2> centroid(const std::vector<std::int16_t>& img, int width) {
  double sx = 0, sy = 0, n = 0;
  for (std::size_t i = 0; i < img.size(); ++i) {
    if (img[i] <= 0) continue;
    sx += static_cast<double>(i % width);
    sy += static_cast<double>(i / width);
    ++n;
  }
  EXPECT_GT(n, 0) << "the finding is not on the plane";
  return {sx / std::max(1.0, n), sy / std::max(1.0, n)};
}

// The voxel nearest a patient point, by inverting the orthonormal geometry.
std::array<int, 3> voxelOf(const Geometry& g, const Vec3& p) {
  Vec3 d{p[0] - g.origin_mm[0], p[1] - g.origin_mm[1], p[2] - g.origin_mm[2]};
  return {static_cast<int>(std::lround(dot(d, g.row_dir) / g.spacing_mm[0])),
          static_cast<int>(std::lround(dot(d, g.col_dir) / g.spacing_mm[1])),
          static_cast<int>(std::lround(dot(d, g.normal) / g.spacing_mm[2]))};
}

struct Orientation {
  const char* name;
  Vec3 row_dir, col_dir, origin;
};

class ReformatPhantom : public ::testing::TestWithParam<Orientation> {};

TEST_P(ReformatPhantom, FindingAppearsWhereTheSpacingSays) {
  const Orientation o = GetParam();
  const auto v = findingPhantom(o.row_dir, o.col_dir, o.origin);
  const Geometry& g = v->geometry();
  const AxisMap axes = axisMap(g);
  const auto voxel = voxelOf(g, kFinding);

  // Patient extent of the voxel centres, for the expected screen positions.
  double lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
  for (int corner = 0; corner < 8; ++corner) {
    const Vec3 p = g.voxelToPatient((corner & 1) ? g.cols - 1 : 0, (corner & 2) ? g.rows - 1 : 0,
                                    (corner & 4) ? g.slices - 1 : 0);
    for (int i = 0; i < 3; ++i) {
      lo[i] = std::min(lo[i], p[i]);
      hi[i] = std::max(hi[i], p[i]);
    }
  }
  const double sx = 0.8, sy = 0.7, sz = 2.5;  // patient X pixels are 0.8 mm, Y 0.7 mm, Z 2.5 mm in both orientations

  // Axial: screen right = +X (patient left), down = +Y (posterior).
  const PlaneFrame ax = planeFrame(g, axes, Plane::Axial);
  auto c = centroid(renderPlane(*v, ax, voxel[ax.depth_axis], voxel[ax.depth_axis]), ax.width);
  EXPECT_NEAR(c[0], (kFinding[0] - lo[0]) / sx, 0.5) << o.name;
  EXPECT_NEAR(c[1], (kFinding[1] - lo[1]) / sy, 0.5) << o.name;
  EXPECT_DOUBLE_EQ(ax.h_spacing_mm, sx);
  EXPECT_DOUBLE_EQ(ax.v_spacing_mm, sy);

  // Coronal: right = +X, down = -Z (head at the top); 0.8 x 2.5 mm pixels.
  const PlaneFrame co = planeFrame(g, axes, Plane::Coronal);
  EXPECT_EQ(co.width, 64);
  EXPECT_EQ(co.height, 40);
  EXPECT_DOUBLE_EQ(co.h_spacing_mm, sx);
  EXPECT_DOUBLE_EQ(co.v_spacing_mm, sz);
  c = centroid(renderPlane(*v, co, voxel[co.depth_axis], voxel[co.depth_axis]), co.width);
  EXPECT_NEAR(c[0], (kFinding[0] - lo[0]) / sx, 0.5) << o.name;
  EXPECT_NEAR(c[1], (hi[2] - kFinding[2]) / sz, 0.5) << o.name;

  // Sagittal: right = +Y (posterior), down = -Z; 0.7 x 2.5 mm pixels.
  const PlaneFrame sa = planeFrame(g, axes, Plane::Sagittal);
  EXPECT_EQ(sa.width, 48);
  EXPECT_EQ(sa.height, 40);
  c = centroid(renderPlane(*v, sa, voxel[sa.depth_axis], voxel[sa.depth_axis]), sa.width);
  EXPECT_NEAR(c[0], (kFinding[1] - lo[1]) / sy, 0.5) << o.name;
  EXPECT_NEAR(c[1], (hi[2] - kFinding[2]) / sz, 0.5) << o.name;

  // A plane 10 mm away from the finding does not show it.
  const int away = voxel[co.depth_axis] + 15;  // 15 rows * 0.7 mm = 10.5 mm > radius
  const auto far = renderPlane(*v, co, away, away);
  EXPECT_EQ(*std::max_element(far.begin(), far.end()), -800);
}

INSTANTIATE_TEST_SUITE_P(
    Orientations, ReformatPhantom,
    ::testing::Values(Orientation{"feet-first LPS", {1, 0, 0}, {0, 1, 0}, {-25.0, -17.0, -110.0}},
                      // Columns run to the patient's right: normal -Z, slice 0 is the highest.
                      Orientation{"mirrored rows", {-1, 0, 0}, {0, 1, 0}, {25.0, -17.0, -10.0}}),
    [](const ::testing::TestParamInfo<Orientation>& info) { return std::string(info.index == 0 ? "Lps" : "Mirrored"); });

TEST(Slab, ProjectionsEqualReductionsOverTheSamePlanes) {
  Geometry g;
  g.cols = 7;
  g.rows = 8;
  g.slices = 9;
  auto v = std::make_shared<Volume>(g);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> hu(-1000, 1500);
  for (int z = 0; z < g.slices; ++z) {
    for (std::size_t i = 0; i < g.voxelsPerSlice(); ++i) v->mutableSlice(z)[i] = static_cast<std::int16_t>(hu(rng));
  }
  v->markAllReady();
  const int first = 2, last = 6;
  for (int axis = 0; axis < 3; ++axis) {
    const auto mip = slabProject(*v, axis, first, last, SlabMode::Mip);
    const auto minip = slabProject(*v, axis, first, last, SlabMode::MinIp);
    const auto avg = slabProject(*v, axis, first, last, SlabMode::Average);
    const int inner = axis == 0 ? g.rows : g.cols;
    const int outer = axis == 2 ? g.rows : g.slices;
    ASSERT_EQ(mip.size(), static_cast<std::size_t>(inner * outer));
    for (int o = 0; o < outer; ++o) {
      for (int i = 0; i < inner; ++i) {
        int mx = std::numeric_limits<int>::min(), mn = std::numeric_limits<int>::max();
        double sum = 0;
        for (int k = first; k <= last; ++k) {
          // (x, y, z) of plane k at output (o, i), as numpy's volume[z, y, x] would index it.
          const int x = axis == 0 ? k : i, y = axis == 0 ? i : axis == 1 ? k : o, z = axis == 2 ? k : o;
          const int val = v->at(x, y, z);
          mx = std::max(mx, val);
          mn = std::min(mn, val);
          sum += val;
        }
        const std::size_t at = static_cast<std::size_t>(o) * inner + i;
        EXPECT_EQ(mip[at], mx) << "axis " << axis;
        EXPECT_EQ(minip[at], mn) << "axis " << axis;
        EXPECT_EQ(avg[at], static_cast<int>(std::lround(sum / (last - first + 1)))) << "axis " << axis;
      }
    }
  }
  EXPECT_THROW(slabProject(*v, 2, 5, 3, SlabMode::Mip), lunglens::core::InputError);
  EXPECT_THROW(slabProject(*v, 3, 0, 0, SlabMode::Mip), lunglens::core::InputError);
}

TEST(Slab, RangeCoversTheThicknessAroundTheCentre) {
  EXPECT_EQ(slabRange(10, 10.0, 2.5, 40), (std::array<int, 2>{9, 12}));  // 4 planes
  EXPECT_EQ(slabRange(10, 0.5, 2.5, 40), (std::array<int, 2>{10, 10}));  // at least one
  EXPECT_EQ(slabRange(0, 10.0, 2.5, 40), (std::array<int, 2>{0, 2}));    // clamped at the edge
  EXPECT_EQ(slabRange(39, 10.0, 2.5, 40), (std::array<int, 2>{38, 39}));
}

TEST(Reformat, ObliqueAndTiltedSeriesAreRefusedWithTheAngle) {
  Geometry g;
  g.cols = g.rows = g.slices = 4;
  const double a = 15.0 * 3.14159265358979 / 180.0;  // a 15 degree gantry tilt about X
  g.row_dir = {1, 0, 0};
  g.col_dir = {0, std::cos(a), -std::sin(a)};
  g.normal = cross(g.row_dir, g.col_dir);
  try {
    axisMap(g);
    FAIL() << "a 15 degree tilt was accepted";
  } catch (const lunglens::core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("15.0 degrees"), std::string::npos) << e.what();
  }
  // 1 degree is within tolerance.
  const double b = 1.0 * 3.14159265358979 / 180.0;
  g.col_dir = {0, std::cos(b), -std::sin(b)};
  g.normal = cross(g.row_dir, g.col_dir);
  EXPECT_NO_THROW(axisMap(g));
  // Axial orientation but slice origins drifting sideways (tilt written in ImagePositionPatient).
  g.col_dir = {0, 1, 0};
  g.normal = {0, 0, 1};
  std::vector<Vec3> positions;
  for (int z = 0; z < 4; ++z) positions.push_back({0.0, z * 5.0 * std::tan(a), z * 5.0});
  EXPECT_NEAR(stackTilt_deg(g, positions), 15.0, 0.01);
  positions = {{0, 0, 0}, {0, 0, 5}, {0, 0, 10}};
  EXPECT_NEAR(stackTilt_deg(g, positions), 0.0, 1e-9);
}

}  // namespace
