// Lengths and ROI statistics against hand-computed values: synthetic slices with known voxels, and a real CT slice
// whose HU are read independently of LungLens' loader (DCMTK, rescale applied by hand).
#include <gtest/gtest.h>

#include <cmath>
#include <dcmtk/dcmdata/dctk.h>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/annotation/measurements.h"
#include "tests/common/test_paths.h"

using namespace lunglens::core;
using namespace lunglens::core::annotation;

namespace {

Annotation region(AnnotationKind kind, std::vector<VoxelPoint> points, int slice = 0) {
  return {1, kind, "1.2", slice, "", std::move(points), ""};
}

}  // namespace

TEST(Measurements, LengthUsesColumnAndRowSpacing) {
  EXPECT_DOUBLE_EQ(lengthMm({0, 0}, {30, 40}, 0.5, 0.5), 25.0);
  // 3 columns of 0.7 mm and 4 rows of 1.2 mm: sqrt(2.1^2 + 4.8^2).
  EXPECT_NEAR(lengthMm({1, 1}, {4, 5}, 0.7, 1.2), std::sqrt(2.1 * 2.1 + 4.8 * 4.8), 1e-12);
  volume::Geometry g;
  g.spacing_mm = {0.8, 0.6, 5.0};
  const Annotation len{1, AnnotationKind::Length, "s", 0, "", {{10, 10}, {10, 110}}, ""};
  EXPECT_NEAR(lengthMm(len, g), 60.0, 1e-9);
  EXPECT_THROW(lengthMm(region(AnnotationKind::Arrow, {{0, 0}, {1, 1}}), g), InputError);
}

TEST(Measurements, EllipseStatsMatchHandComputation) {
  // hu(c, r) = 10 c + r on a 5 x 4 slice. Ellipse with corners (0,0) and (2,2): centre (1,1), radii 1: the voxel
  // centres inside (boundary included) are (1,1), (0,1), (2,1), (1,0), (1,2) -> 11, 1, 21, 10, 12.
  const int cols = 5, rows = 4;
  std::vector<std::int16_t> hu(cols * rows);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) hu[r * cols + c] = static_cast<std::int16_t>(10 * c + r);
  const auto s = roiStats(region(AnnotationKind::Ellipse, {{0, 0}, {2, 2}}), hu.data(), cols, rows, 0.5, 0.8);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->voxel_count, 5u);
  EXPECT_DOUBLE_EQ(s->mean_hu, 11.0);
  // deviations 0, -10, 10, -1, 1: sum of squares 202, population variance 40.4
  EXPECT_NEAR(s->sd_hu, std::sqrt(40.4), 1e-9);
  EXPECT_EQ(s->min_hu, 1);
  EXPECT_EQ(s->max_hu, 21);
  EXPECT_NEAR(s->area_mm2, 5 * 0.5 * 0.8, 1e-12);
  const auto mask = roiMask(region(AnnotationKind::Ellipse, {{2, 2}, {0, 0}}), cols, rows);  // corners swapped
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 5);
  EXPECT_EQ(mask[1 * cols + 1], 1);
  EXPECT_EQ(mask[0], 0);
}

TEST(Measurements, FreehandUsesVoxelCentres) {
  const int cols = 6, rows = 6;
  std::vector<std::int16_t> hu(cols * rows, -1000);
  for (int r = 1; r <= 2; ++r)
    for (int c = 0; c <= 2; ++c) hu[r * cols + c] = 40;
  // A rectangle whose edges run between voxel centres: columns 0..2, rows 1..2 are inside (6 voxels of 40 HU).
  const auto s = roiStats(region(AnnotationKind::Freehand, {{-0.5, 0.5}, {2.5, 0.5}, {2.5, 2.5}, {-0.5, 2.5}}),
                          hu.data(), cols, rows, 1.0, 1.0);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->voxel_count, 6u);
  EXPECT_DOUBLE_EQ(s->mean_hu, 40.0);
  EXPECT_DOUBLE_EQ(s->sd_hu, 0.0);
  EXPECT_DOUBLE_EQ(s->area_mm2, 6.0);
  // A triangle with its hypotenuse on x + y = 1.2: centres (0,0), (1,0), (0,1) are inside, (1,1) is not.
  const auto mask = roiMask(region(AnnotationKind::Freehand, {{-0.4, -0.4}, {1.6, -0.4}, {-0.4, 1.6}}), cols, rows);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 3);
  // Outside the slice or too thin: no voxel, no statistics.
  EXPECT_FALSE(roiStats(region(AnnotationKind::Ellipse, {{100, 100}, {120, 120}}), hu.data(), cols, rows, 1, 1));
  EXPECT_FALSE(roiStats(region(AnnotationKind::Ellipse, {{1, 1}, {1, 3}}), hu.data(), cols, rows, 1, 1));
  EXPECT_THROW(roiStats(region(AnnotationKind::Length, {{0, 0}, {1, 1}}), hu.data(), cols, rows, 1, 1), InputError);
}

TEST(Measurements, VolumeSliceOverloadChecksTheSlice) {
  volume::Geometry g;
  g.cols = 8, g.rows = 8, g.slices = 3;
  g.spacing_mm = {0.7, 0.7, 2.0};
  volume::Volume v(g);
  for (int z = 0; z < 3; ++z) {
    std::fill(v.mutableSlice(z), v.mutableSlice(z) + 64, static_cast<std::int16_t>(100 * z));
  }
  v.markSliceReady(0);
  v.markSliceReady(2);
  const auto s = roiStats(region(AnnotationKind::Ellipse, {{1, 1}, {5, 5}}, 2), v);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->mean_hu, 200.0);
  EXPECT_NEAR(s->area_mm2, s->voxel_count * 0.49, 1e-9);
  EXPECT_THROW(roiStats(region(AnnotationKind::Ellipse, {{1, 1}, {5, 5}}, 1), v), InputError);  // not decoded
  EXPECT_THROW(roiStats(region(AnnotationKind::Ellipse, {{1, 1}, {5, 5}}, 3), v), InputError);  // no such slice
  EXPECT_NE(measurementText(region(AnnotationKind::Ellipse, {{1, 1}, {5, 5}}, 2), &v).find("mean 200 HU"),
            std::string::npos);
}

// Reads one CT slice's HU straight from the file: stored value * slope + intercept.
static std::vector<int> readHu(const std::string& path, int& cols, int& rows, double& rowSpacing, double& colSpacing) {
  DcmFileFormat file;
  EXPECT_TRUE(file.loadFile(path.c_str()).good());
  DcmDataset* d = file.getDataset();
  EXPECT_TRUE(d->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good());
  Uint16 r = 0, c = 0, pr = 0, bitsStored = 16;
  d->findAndGetUint16(DCM_BitsStored, bitsStored);
  d->findAndGetUint16(DCM_Rows, r);
  d->findAndGetUint16(DCM_Columns, c);
  d->findAndGetUint16(DCM_PixelRepresentation, pr);
  Float64 slope = 1, intercept = 0;
  d->findAndGetFloat64(DCM_RescaleSlope, slope);
  d->findAndGetFloat64(DCM_RescaleIntercept, intercept);
  d->findAndGetFloat64(DCM_PixelSpacing, rowSpacing, 0);
  d->findAndGetFloat64(DCM_PixelSpacing, colSpacing, 1);
  const Uint16* raw = nullptr;
  EXPECT_TRUE(d->findAndGetUint16Array(DCM_PixelData, raw).good());
  cols = c, rows = r;
  std::vector<int> hu(static_cast<std::size_t>(c) * r);
  for (std::size_t i = 0; i < hu.size(); ++i) {
    // Keep the stored bits only, sign-extending them for signed pixels.
    const int mask = (1 << bitsStored) - 1, value = raw[i] & mask;
    const double stored = (pr && (value >> (bitsStored - 1))) ? value - (1 << bitsStored) : value;
    hu[i] = static_cast<int>(std::lround(stored * slope + intercept));
  }
  return hu;
}

TEST(Measurements, RealCtSliceMatchesAnIndependentRead) {
  const auto catalog = dicom::scan(lunglens::test::lungPetCtDx() / "Lung_Dx-A0001");
  ASSERT_FALSE(catalog.series.empty());
  const dicom::SeriesInfo& series = catalog.series.front();
  const auto volume = dicom::loadSeries(series);
  const int z = static_cast<int>(series.slices.size() / 2);
  int cols = 0, rows = 0;
  double rowSpacing = 0, colSpacing = 0;
  const std::vector<int> hu = readHu(series.slices[z].path, cols, rows, rowSpacing, colSpacing);
  ASSERT_EQ(cols, volume->geometry().cols);
  ASSERT_EQ(rows, volume->geometry().rows);

  // Length: 100 columns across = 100 x the column spacing from the file's PixelSpacing.
  const Annotation len{1, AnnotationKind::Length, series.series_uid, z, "", {{100, 256}, {200, 256}}, ""};
  EXPECT_NEAR(lengthMm(len, volume->geometry()), 100 * colSpacing, 1e-6);

  // A rectangle ROI in the middle of the slice (through the mediastinum) and one in the air above the patient:
  // statistics summed by hand over the same voxels.
  for (const auto& [c0, r0, c1, r1] : {std::array<int, 4>{236, 236, 275, 265}, std::array<int, 4>{10, 10, 60, 40}}) {
    const Annotation roi{2, AnnotationKind::Freehand, series.series_uid, z, "",
                         {{c0 - 0.5, r0 - 0.5}, {c1 + 0.5, r0 - 0.5}, {c1 + 0.5, r1 + 0.5}, {c0 - 0.5, r1 + 0.5}}, ""};
    double sum = 0, sumSq = 0;
    int lo = 1 << 30, hi = -(1 << 30), n = 0;
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) {
        const int v = hu[static_cast<std::size_t>(r) * cols + c];
        sum += v, sumSq += double(v) * v, lo = std::min(lo, v), hi = std::max(hi, v), ++n;
      }
    const double mean = sum / n;
    const auto s = roiStats(roi, *volume);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->voxel_count, static_cast<std::size_t>(n));
    EXPECT_NEAR(s->mean_hu, mean, 1e-9);
    EXPECT_NEAR(s->sd_hu, std::sqrt(sumSq / n - mean * mean), 1e-6);
    EXPECT_EQ(s->min_hu, lo);
    EXPECT_EQ(s->max_hu, hi);
    EXPECT_NEAR(s->area_mm2, n * rowSpacing * colSpacing, 1e-9);
  }
  // Sanity of the data itself: the air rectangle is air.
  const Annotation air{3, AnnotationKind::Ellipse, series.series_uid, z, "", {{10, 10}, {60, 40}}, ""};
  EXPECT_LT(roiStats(air, *volume)->mean_hu, -900);
}
