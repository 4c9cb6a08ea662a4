// Small broken series built from real slices in scratch folders: each defect is found, reported and contained.
#include <gdcmAttribute.h>
#include <gdcmDataSet.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

// 12 consecutive real slices (8 mm apart) copied as slice-000.dcm ... slice-011.dcm, lowest first.
std::vector<fs::path> baseSeries(const fs::path& dir) {
  auto files = test::filesByZ(test::lungB40fFolder());
  files.resize(12);
  return test::copyAs(files, dir);
}

const core::dicom::SkippedFile* skippedFile(const core::dicom::Catalog& c, const fs::path& path) {
  for (const auto& f : c.skipped) {
    if (f.path == path.string()) return &f;
  }
  return nullptr;
}

bool hasWarning(const core::dicom::SeriesInfo& s, const std::string& text) {
  for (const auto& w : s.warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string allWarnings(const core::dicom::SeriesInfo& s) {
  std::string out;
  for (const auto& w : s.warnings) out += w + "\n";
  return out;
}

}  // namespace

TEST(BrokenSeries, MissingSliceIsAGapWarning) {
  const fs::path dir = test::scratchDir("gap");
  const auto files = baseSeries(dir);
  const double gapStart = test::positionZ(files[4]);
  fs::remove(files[5]);
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  const auto& s = c.series[0];
  EXPECT_EQ(s.slices.size(), 11u);
  EXPECT_NEAR(s.slice_spacing_mm, 8.0, 1e-6);
  char expected[96];
  std::snprintf(expected, sizeof expected, "gap at position %.2f mm: 16.00 mm to the next slice", gapStart);
  EXPECT_TRUE(hasWarning(s, expected)) << allWarnings(s);
  EXPECT_TRUE(hasWarning(s, "about 1 missing slice")) << allWarnings(s);
  EXPECT_FALSE(hasWarning(s, "uneven")) << allWarnings(s);
  // The volume keeps the true positions of the slices on either side of the gap.
  const auto volume = core::dicom::loadSeries(s);
  EXPECT_NEAR(volume->slicePosition_mm(5) - volume->slicePosition_mm(4), 16.0, 1e-6);
}

TEST(BrokenSeries, DuplicateInstanceIsSkipped) {
  const fs::path dir = test::scratchDir("duplicate");
  const auto files = baseSeries(dir);
  fs::copy_file(files[3], dir / "copy-of-3.dcm");
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 12u);
  ASSERT_EQ(c.skipped.size(), 1u);
  // Path order decides which copy stays: "copy-of-3.dcm" sorts before "slice-003.dcm".
  EXPECT_EQ(c.skipped[0].path, files[3].string());
  EXPECT_EQ(c.skipped[0].reason, "duplicate instance: same SOP Instance UID as copy-of-3.dcm");
  EXPECT_TRUE(hasWarning(c.series[0], "left out 1 duplicate slice(s)"));
}

TEST(BrokenSeries, SamePositionWithAnotherUidIsADuplicateSlice) {
  const fs::path dir = test::scratchDir("duplicate-position");
  const auto files = baseSeries(dir);
  const fs::path extra = dir / "z-extra.dcm";
  fs::copy_file(files[6], extra);
  test::editDicom(extra, [](gdcm::DataSet& ds) { test::setText(ds, 0x0008, 0x0018, test::newUid()); });
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 12u);
  const auto* skipped = skippedFile(c, extra);
  ASSERT_NE(skipped, nullptr);
  EXPECT_NE(skipped->reason.find("duplicate slice: same position"), std::string::npos) << skipped->reason;
}

TEST(BrokenSeries, LocalizerWithAnotherOrientationIsSkipped) {
  const fs::path dir = test::scratchDir("localizer");
  const auto files = baseSeries(dir);
  const fs::path scout = dir / "scout.dcm";
  fs::copy_file(files[0], scout);
  test::editDicom(scout, [](gdcm::DataSet& ds) {
    test::setText(ds, 0x0008, 0x0018, test::newUid());
    test::setText(ds, 0x0008, 0x0008, "ORIGINAL\\PRIMARY\\LOCALIZER");
    test::setText(ds, 0x0020, 0x0037, "1\\0\\0\\0\\0\\-1");  // coronal
  });
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 12u);
  const auto* skipped = skippedFile(c, scout);
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->reason, "localizer: its orientation differs from the series");
  EXPECT_TRUE(hasWarning(c.series[0], "another orientation")) << allWarnings(c.series[0]);
  EXPECT_EQ(c.series[0].orientation, (std::array<double, 6>{1, 0, 0, 0, 1, 0}));
}

TEST(BrokenSeries, SliceOfAnotherSizeIsSkipped) {
  const fs::path dir = test::scratchDir("size");
  const auto files = baseSeries(dir);
  test::editDicom(files[8], [](gdcm::DataSet& ds) {
    ds.Replace(gdcm::Attribute<0x0028, 0x0010>{256}.GetAsDataElement());
    ds.Replace(gdcm::Attribute<0x0028, 0x0011>{256}.GetAsDataElement());
    gdcm::DataElement pixels(gdcm::Tag(0x7fe0, 0x0010));
    pixels.SetVR(gdcm::VR::OW);
    std::vector<char> zeros(256 * 256 * 2, 0);
    pixels.SetByteValue(zeros.data(), static_cast<std::uint32_t>(zeros.size()));
    ds.Replace(pixels);
  });
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 11u);
  const auto* skipped = skippedFile(c, files[8]);
  ASSERT_NE(skipped, nullptr);
  EXPECT_EQ(skipped->reason, "image size 256x256 differs from the series' 512x512");
  EXPECT_TRUE(hasWarning(c.series[0], "gap at position")) << allWarnings(c.series[0]);
  EXPECT_TRUE(core::dicom::loadSeries(c.series[0])->complete());
}

TEST(BrokenSeries, TruncatedAndNonDicomFilesAreSkipped) {
  const fs::path dir = test::scratchDir("truncated");
  const auto files = baseSeries(dir);
  fs::resize_file(files[11], fs::file_size(files[11]) / 2);
  std::ofstream(dir / "notes.txt") << "reading notes, not DICOM\n";
  std::ofstream(dir / "empty.dcm");
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 11u);
  ASSERT_EQ(c.skipped.size(), 3u);
  EXPECT_EQ(skippedFile(c, files[11])->reason, "truncated file: the pixel data is incomplete");
  EXPECT_EQ(skippedFile(c, dir / "notes.txt")->reason, "not a DICOM file (no DICOM header that GDCM can read)");
  EXPECT_EQ(skippedFile(c, dir / "empty.dcm")->reason, "empty file");
  EXPECT_TRUE(core::dicom::loadSeries(c.series[0])->complete());
}

TEST(BrokenSeries, UnevenSpacingIsAWarning) {
  const fs::path dir = test::scratchDir("uneven");
  const auto files = baseSeries(dir);
  test::editDicom(files[6], [&](gdcm::DataSet& ds) {
    gdcm::Attribute<0x0020, 0x0032> ipp;
    ipp.SetFromDataSet(ds);
    char value[96];
    std::snprintf(value, sizeof value, "%.6f\\%.6f\\%.6f", ipp[0], ipp[1], ipp[2] + 2.0);
    test::setText(ds, 0x0020, 0x0032, value);
  });
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 12u);
  EXPECT_TRUE(hasWarning(c.series[0], "uneven spacing: distances between slices range from 6.00 to 10.00 mm"))
      << allWarnings(c.series[0]);
  EXPECT_FALSE(hasWarning(c.series[0], "gap")) << allWarnings(c.series[0]);
}

TEST(BrokenSeries, OrderComesFromPositionNotNamesOrInstanceNumbers) {
  const fs::path dir = test::scratchDir("order");
  auto sorted = test::filesByZ(test::lungB40fFolder());
  sorted.resize(10);
  // Names in reverse order of position, instance numbers scrambled.
  const std::vector<fs::path> reversed(sorted.rbegin(), sorted.rend());
  const auto files = test::copyAs(reversed, dir);
  for (std::size_t i = 0; i < files.size(); ++i) {
    test::editDicom(files[i], [&](gdcm::DataSet& ds) {
      test::setText(ds, 0x0020, 0x0013, std::to_string((i * 7) % 10 + 1));
    });
  }
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  ASSERT_EQ(c.series[0].slices.size(), 10u);
  for (std::size_t z = 0; z < 10; ++z) EXPECT_EQ(c.series[0].slices[z].path, files[9 - z].string()) << z;
}

TEST(BrokenSeries, EverythingAtOnceStillLoads) {
  const fs::path dir = test::scratchDir("everything");
  const auto files = baseSeries(dir);
  fs::remove(files[2]);
  fs::copy_file(files[4], dir / "a-copy.dcm");
  fs::resize_file(files[9], 4000);
  std::ofstream(dir / "README") << "not DICOM";
  fs::copy_file(test::pydicomTestFiles() / "SC_rgb_rle.dcm", dir / "rgb.dcm");
  fs::copy_file(test::pydicomTestFiles() / "rtplan.dcm", dir / "plan.dcm");
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 10u);  // 12 - removed - truncated (the duplicate copy is skipped)
  EXPECT_EQ(c.skipped.size(), 5u);
  EXPECT_EQ(skippedFile(c, dir / "rgb.dcm")->reason, "RGB image, not a CT slice");
  EXPECT_EQ(skippedFile(c, dir / "plan.dcm")->reason, "RT Plan: no image");
  EXPECT_EQ(skippedFile(c, files[9])->reason, "truncated file: the pixel data is incomplete");
  EXPECT_TRUE(hasWarning(c.series[0], "gap at position")) << allWarnings(c.series[0]);
  EXPECT_TRUE(core::dicom::loadSeries(c.series[0])->complete());
}

TEST(BrokenSeries, MissingFolderIsAnInputError) {
  EXPECT_THROW(core::dicom::scan(test::scratchDir("nothing") / "no-such-folder"), core::InputError);
}
