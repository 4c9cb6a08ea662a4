// core/dicom on the real Lung-PET-CT-Dx data: grouping, sort order, spacing and Hounsfield units of known regions.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;
using namespace lunglens;
using core::dicom::Catalog;
using core::dicom::SeriesInfo;

namespace {

const Catalog& lungCatalog() {
  static const Catalog catalog = core::dicom::scan(test::lungPetCtDx());
  return catalog;
}

const SeriesInfo& seriesIn(const fs::path& folder) {
  for (const auto& s : lungCatalog().series) {
    if (fs::path(s.slices.front().path).parent_path() == folder) return s;
  }
  throw std::runtime_error("no series for " + folder.string());
}

double medianHu(const core::volume::Volume& v, int cx, int cy, int z, int radius) {
  std::vector<double> values;
  for (int y = cy - radius; y <= cy + radius; ++y) {
    for (int x = cx - radius; x <= cx + radius; ++x) values.push_back(v.at(x, y, z));
  }
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

}  // namespace

TEST(LungData, GroupsFourSeriesAndSkipsOnlyTheLicence) {
  const Catalog& c = lungCatalog();
  std::multiset<std::size_t> sizes;
  for (const auto& s : c.series) sizes.insert(s.slices.size());
  EXPECT_EQ(sizes, (std::multiset<std::size_t>{30, 30, 64, 64}));
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(fs::path(c.skipped[0].path).filename(), "LICENSE");
  EXPECT_NE(c.skipped[0].reason.find("not a DICOM file"), std::string::npos) << c.skipped[0].reason;
  std::set<std::string> studies;
  for (const auto& s : c.series) {
    studies.insert(s.study_uid);
    EXPECT_EQ(s.modality, "CT");
    EXPECT_TRUE(s.warnings.empty()) << s.series_description << ": " << s.warnings.front();
    // Every slice of a series comes from that series' folder (whose name has spaces for subject A0002).
    for (const auto& slice : s.slices) EXPECT_EQ(fs::path(slice.path).parent_path(), fs::path(s.slices[0].path).parent_path());
  }
  EXPECT_EQ(studies.size(), 2u);
}

TEST(LungData, SortsSlicesByPositionLowestFirst) {
  for (const fs::path& folder : test::lungSeriesFolders()) {
    const SeriesInfo& s = seriesIn(folder);
    const std::vector<fs::path> expected = test::filesByZ(folder);  // read independently with GDCM
    ASSERT_EQ(s.slices.size(), expected.size()) << folder;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(fs::path(s.slices[i].path), expected[i]) << "slice " << i << " of " << folder;
      if (i > 0) {
        EXPECT_GT(s.slices[i].position_along_normal_mm, s.slices[i - 1].position_along_normal_mm);
      }
    }
    EXPECT_DOUBLE_EQ(s.slices.front().position_mm[2], test::positionZ(expected.front()));
  }
}

TEST(LungData, SpacingAndMetadataMatchTheFiles) {
  for (const fs::path& folder : test::lungSeriesFolders()) {
    const SeriesInfo& s = seriesIn(folder);
    const auto files = test::filesByZ(folder);
    const double meanStep = (test::positionZ(files.back()) - test::positionZ(files.front())) / (files.size() - 1);
    EXPECT_NEAR(s.slice_spacing_mm, meanStep, 1e-3) << folder;
    EXPECT_EQ(s.rows, 512);
    EXPECT_EQ(s.cols, 512);
    EXPECT_FALSE(s.window_presets.empty());
    EXPECT_FALSE(s.convolution_kernel.empty());
    EXPECT_GT(s.slice_thickness_mm, 0.0);
    EXPECT_FALSE(s.patient_id.empty());
    EXPECT_FALSE(s.study_date.empty());
  }
  const SeriesInfo& a1 = seriesIn(test::lungSeriesFolders().front());
  EXPECT_NEAR(a1.pixel_spacing_mm[0], 0.841796875, 1e-9);
  EXPECT_NEAR(a1.slice_spacing_mm, 5.0, 1e-6);
  EXPECT_EQ(a1.series_description, "5mm");
  EXPECT_EQ(a1.window_presets.size(), 1u);  // "-600\-600" / "1600\1600": one preset, not two
  EXPECT_DOUBLE_EQ(a1.window_presets[0].level, -600.0);
  EXPECT_DOUBLE_EQ(a1.window_presets[0].width, 1600.0);
  EXPECT_NEAR(seriesIn(test::lungB40fFolder()).slice_spacing_mm, 8.0, 1e-6);
}

TEST(LungData, LoadsHounsfieldUnitsWithGeometry) {
  for (const fs::path& folder : test::lungSeriesFolders()) {
    const SeriesInfo& s = seriesIn(folder);
    const auto volume = core::dicom::loadSeries(s);
    ASSERT_TRUE(volume->complete());
    const auto& g = volume->geometry();
    EXPECT_EQ(g.slices, static_cast<int>(s.slices.size()));
    EXPECT_EQ(g.origin_mm, s.slices.front().position_mm);
    EXPECT_NEAR(g.spacing_mm[2], s.slice_spacing_mm, 1e-9);
    EXPECT_EQ(g.normal, (core::volume::Vec3{0.0, 0.0, 1.0}));
    const int mid = g.slices / 2;
    // Air in front of the chest, and soft tissue (heart/mediastinum) in the middle of a mid-chest slice.
    EXPECT_NEAR(medianHu(*volume, 256, 30, mid, 5), -1000.0, 60.0) << folder;
    const double tissue = medianHu(*volume, 256, 256, mid, 7);
    EXPECT_GE(tissue, 0.0) << folder;
    EXPECT_LE(tissue, 80.0) << folder;
    // The stored values are rescaled exactly: compare one slice with GDCM's own decoding.
    const auto reference = test::referenceHu(s.slices[static_cast<std::size_t>(mid)].path);
    for (std::size_t i = 0; i < reference.size(); i += 997) ASSERT_EQ(volume->slice(mid)[i], reference[i]);
  }
}

TEST(LungData, ReadingRawPixelsMatchesDecodingWithGdcm) {
  for (const fs::path& folder : test::lungSeriesFolders()) {
    const SeriesInfo& s = seriesIn(folder);
    SeriesInfo viaGdcm = s;
    for (auto& slice : viaGdcm.slices) {
      EXPECT_GT(slice.raw.offset, 0u) << "uncompressed CT should take the fast path: " << slice.path;
      slice.raw.offset = 0;
    }
    const auto fast = core::dicom::loadSeries(s);
    const auto slow = core::dicom::loadSeries(viaGdcm);
    EXPECT_TRUE(std::equal(fast->slice(0), fast->slice(0) + fast->geometry().voxelCount(), slow->slice(0))) << folder;
  }
}

TEST(LungData, DecodesTheFocusSliceFirstAndPublishesEverySlice) {
  const SeriesInfo& s = seriesIn(test::lungB40fFolder());
  auto volume = core::dicom::allocateVolume(s);
  EXPECT_EQ(volume->readySliceCount(), 0);
  std::vector<int> order;
  std::mutex m;
  core::dicom::LoadOptions options;
  options.threads = 1;  // one thread: the publication order is exactly the decode order
  options.focus_slice = 7;
  options.on_slice_ready = [&](int z) {
    std::lock_guard<std::mutex> lock(m);
    EXPECT_TRUE(volume->sliceReady(z));
    order.push_back(z);
  };
  core::dicom::fillVolume(s, *volume, options);
  ASSERT_EQ(order.size(), 30u);
  EXPECT_EQ(order[0], 7);
  EXPECT_EQ(std::set<int>(order.begin(), order.end()).size(), 30u);
  EXPECT_EQ(std::abs(order[1] - 7), 1);
  EXPECT_TRUE(volume->complete());
}

TEST(LungData, CancellingStopsTheLoad) {
  const SeriesInfo& s = seriesIn(test::lungB40fFolder());
  auto volume = core::dicom::allocateVolume(s);
  core::dicom::LoadOptions options;
  options.threads = 2;
  options.on_slice_ready = [&](int) { options.cancel.cancel(); };
  EXPECT_THROW(core::dicom::fillVolume(s, *volume, options), core::Cancelled);
  EXPECT_LT(volume->readySliceCount(), 30);
}

TEST(LungData, LoadSliceMatchesTheVolume) {
  const SeriesInfo& s = seriesIn(test::lungB40fFolder());
  const auto volume = core::dicom::loadSeries(s);
  const auto slice = core::dicom::loadSlice(s, 3);
  ASSERT_EQ(slice.size(), 512u * 512u);
  EXPECT_TRUE(std::equal(slice.begin(), slice.end(), volume->slice(3)));
  EXPECT_THROW(core::dicom::loadSlice(s, 30), core::InputError);
}
