// Bad input never crashes and never yields a silent empty mask: a non-chest volume, one slice, a series with
// gaps, too anisotropic voxels and a series still loading give an InputError with a clear message; usual
// anisotropy (thick slices, non-square pixels) and a mirrored patient orientation are handled.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/lung/lung_analysis.h"
#include "tests/common/test_paths.h"
#include "tests/lung/lung_fixtures.h"

namespace lunglens::test {
namespace {

namespace ph = core::phantom;
namespace lung = core::lung;
using core::volume::Geometry;
using core::volume::Volume;

const ph::Phantom& phantom() {
  static const ph::Phantom p = ph::generatePhantom(
      paramsFor({77, ph::Diagnosis::Covid, 192, 40, 0.0, ph::Kernel::Soft, {}, 0.25}));
  return p;
}

lung::AnalysisOptions twoThreads() {
  lung::AnalysisOptions o;
  o.threads = 2;
  return o;
}

// A copy of the phantom's slices `keep` with `geometry` (spacing / orientation changed by the caller).
std::shared_ptr<Volume> copyOf(const Volume& src, Geometry g, const std::vector<int>& keep, bool mark_ready = true) {
  std::vector<double> positions;
  for (int z : keep) positions.push_back(src.slicePosition_mm(z) * g.spacing_mm[2] / src.geometry().spacing_mm[2]);
  g.slices = static_cast<int>(keep.size());
  auto v = std::make_shared<Volume>(g, positions);
  for (std::size_t k = 0; k < keep.size(); ++k)
    std::memcpy(v->mutableSlice(static_cast<int>(k)), src.slice(keep[k]), g.voxelsPerSlice() * sizeof(std::int16_t));
  if (mark_ready) v->markAllReady();
  return v;
}

std::vector<int> allSlices(int n) {
  std::vector<int> z(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) z[static_cast<std::size_t>(i)] = i;
  return z;
}

std::string inputErrorOf(const Volume& v) {
  try {
    lung::analyzeLungs(v, twoThreads());
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "";
}

TEST(LungBadInput, SingleSliceFromPydicomTestFiles) {
  const auto catalog = core::dicom::scan((pydicomTestFiles() / "CT_small.dcm").string());
  ASSERT_EQ(catalog.series.size(), 1u);
  const auto volume = core::dicom::loadSeries(catalog.series.front());
  EXPECT_NE(inputErrorOf(*volume).find("no lungs found"), std::string::npos) << inputErrorOf(*volume);
}

TEST(LungBadInput, NonChestVolumeHasNoLungs) {
  // An abdomen-like volume: a soft-tissue body with fat and a few gas-filled bowel loops, in air.
  Geometry g;
  g.cols = g.rows = 160;
  g.slices = 30;
  g.spacing_mm = {2.0, 2.0, 5.0};
  Volume v(g);
  for (int z = 0; z < g.slices; ++z) {
    std::int16_t* s = v.mutableSlice(z);
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < g.cols; ++x) {
        const double dx = (x - 80) / 65.0, dy = (y - 80) / 50.0;
        std::int16_t hu = -1000;
        if (dx * dx + dy * dy < 1.0) hu = (dx * dx + dy * dy > 0.8) ? -100 : 40;
        const double gx = (x - 60 - (z % 7)) / 6.0, gy = (y - 70) / 6.0;
        if (gx * gx + gy * gy < 1.0) hu = -995;  // bowel gas
        s[static_cast<std::size_t>(y) * g.cols + x] = hu;
      }
  }
  v.markAllReady();
  EXPECT_NE(inputErrorOf(v).find("no lungs found"), std::string::npos) << inputErrorOf(v);
}

TEST(LungBadInput, SeriesWithAGapIsRefused) {
  const Volume& src = *phantom().volume;
  std::vector<int> keep = allSlices(src.slices());
  ASSERT_GT(keep.size(), 20u);
  keep.erase(keep.begin() + 15, keep.begin() + 19);
  const auto v = copyOf(src, src.geometry(), keep);
  EXPECT_NE(inputErrorOf(*v).find("gap"), std::string::npos) << inputErrorOf(*v);
}

TEST(LungBadInput, SeriesStillLoadingIsRefused) {
  const Volume& src = *phantom().volume;
  const auto v = copyOf(src, src.geometry(), allSlices(src.slices()), false);
  for (int z = 0; z < src.slices() / 2; ++z) v->markSliceReady(z);
  EXPECT_NE(inputErrorOf(*v).find("not completely loaded"), std::string::npos) << inputErrorOf(*v);
}

TEST(LungBadInput, ExtremeAnisotropyIsRefusedUsualAnisotropyWorks) {
  const Volume& src = *phantom().volume;
  Geometry g = src.geometry();
  g.spacing_mm[0] *= 4.0;  // 4:1 pixels
  EXPECT_NE(inputErrorOf(*copyOf(src, g, allSlices(src.slices()))).find("anisotropic"), std::string::npos);

  // Non-square pixels (1.5:1) and the slices stretched: the same anatomy, only the voxel volume changes.
  g = src.geometry();
  g.spacing_mm[0] *= 1.5;
  g.spacing_mm[2] *= 1.2;
  const auto stretched = lung::analyzeLungs(*copyOf(src, g, allSlices(src.slices())), twoThreads());
  const auto original = lung::analyzeLungs(src, twoThreads());
  EXPECT_GT(stretched.right.voxels, 0);
  EXPECT_GT(stretched.left.voxels, 0);
  EXPECT_NEAR(stretched.both.volume_ml, original.both.volume_ml * 1.5 * 1.2, 0.05 * stretched.both.volume_ml);
}

TEST(LungBadInput, MirroredOrientationKeepsThePatientsSides) {
  // The same voxels stored with columns running to the patient's right: what was the left lung is now the right.
  const Volume& src = *phantom().volume;
  Geometry g = src.geometry();
  const auto original = lung::analyzeLungs(src, twoThreads());
  g.row_dir = {-1.0, 0.0, 0.0};
  g.normal = {0.0, 0.0, 1.0};  // keep slices ascending superiorly (a mirrored, not rotated, patient)
  const auto mirrored = lung::analyzeLungs(*copyOf(src, g, allSlices(src.slices())), twoThreads());
  EXPECT_NEAR(mirrored.left.volume_ml, original.right.volume_ml, 1.0);
  EXPECT_NEAR(mirrored.right.volume_ml, original.left.volume_ml, 1.0);
}

TEST(LungBadInput, CancelledAnalysisThrowsCancelled) {
  core::CancelToken cancel;
  cancel.cancel();
  EXPECT_THROW(lung::analyzeLungs(*phantom().volume, twoThreads(), cancel), core::Cancelled);
}

}  // namespace
}  // namespace lunglens::test
