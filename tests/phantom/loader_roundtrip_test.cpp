// The phantom series read back through LungLens' own loader: one clean series, no warnings, the same voxels.
#include <gtest/gtest.h>

#include <cstring>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/phantom/dicom_writer.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"
#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

void roundTrip(const PhantomParams& params, const std::string& name) {
  const Phantom& ph = test::cachedPhantom(params);
  const auto dir = test::scratchDir(name);
  writePhantomStudy(ph, dir);
  const dicom::Catalog catalog = dicom::scan(dir);
  ASSERT_EQ(catalog.series.size(), 1u);
  const dicom::SeriesInfo& s = catalog.series.front();
  EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
  for (const auto& skipped : catalog.skipped)  // only the truth files beside the series
    EXPECT_TRUE(skipped.path.find("truth.json") != std::string::npos ||
                skipped.path.find("labels.nii.gz") != std::string::npos)
        << skipped.path << ": " << skipped.reason;
  const auto& g = ph.layout.geometry;
  EXPECT_EQ(s.series_uid, seriesIds(ph).series_uid);
  EXPECT_EQ(s.modality, "CT");
  ASSERT_EQ(s.slices.size(), static_cast<std::size_t>(g.slices));
  EXPECT_EQ(s.rows, g.rows);
  EXPECT_EQ(s.cols, g.cols);
  EXPECT_NEAR(s.pixel_spacing_mm[0], g.spacing_mm[1], 1e-6);
  EXPECT_NEAR(s.slice_spacing_mm, g.spacing_mm[2], 1e-3);
  EXPECT_NEAR(s.slice_thickness_mm, ph.layout.thickness_mm, 1e-3);
  EXPECT_EQ(s.patient_name.rfind("PHANTOM^", 0), 0u);
  EXPECT_GE(s.window_presets.size(), 2u);
  const auto vol = dicom::loadSeries(s);
  ASSERT_TRUE(vol->complete());
  for (int k = 0; k < g.slices; ++k) {
    // Slice index 0 is the most inferior in both: the label volume lines up with what the viewer shows.
    EXPECT_NEAR(vol->slicePosition_mm(k), ph.layout.sliceZ(k), 1e-3);
    ASSERT_EQ(std::memcmp(vol->slice(k), ph.volume->slice(k), g.voxelsPerSlice() * 2), 0) << "slice " << k;
  }
}

TEST(PhantomLoader, SeriesLoadsBackVoxelForVoxelWithoutWarnings) {
  PhantomParams p = test::quickParams(41, Diagnosis::Covid);
  p.slices = 20;
  roundTrip(p, "phantom-loader");
}

TEST(PhantomLoader, FullSizeSharpKernelSeriesLoadsBack) {
  PhantomParams p = test::quickParams(42, Diagnosis::OtherPneumonia);
  p.slices = 6;
  p.size = 512;
  p.thickness_mm = 1.0;
  p.kernel = Kernel::Sharp;
  roundTrip(p, "phantom-loader-512");
}

TEST(PhantomLoader, RewritingAFolderLeavesOneSeries) {
  const auto dir = test::scratchDir("phantom-rewrite");
  PhantomParams p = test::quickParams(43, Diagnosis::Normal);
  p.slices = 10;
  writePhantomStudy(test::cachedPhantom(p), dir);
  p.slices = 6;  // fewer slices, another series UID: the old slice files must go
  writePhantomStudy(test::cachedPhantom(p), dir);
  const dicom::Catalog catalog = dicom::scan(dir);
  ASSERT_EQ(catalog.series.size(), 1u);
  EXPECT_EQ(catalog.series.front().slices.size(), 6u);
}

}  // namespace
}  // namespace lunglens::core::phantom
