// Enhanced multi-frame CT (one file, many frames): the 30 real B40f slices rewritten with DCMTK as one Enhanced CT
// Image Storage file, frame positions in the Per-frame Functional Groups, geometry and rescale in the Shared ones.
// The scan must find one series of 30 slices whose positions and voxels equal the classic series'.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <tuple>
#include <vector>

#include "core/common/error.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"
#include "tests/dicom/enhanced_ct.h"
#include "tests/fuzz/fuzz_support.h"

namespace fs = std::filesystem;
using namespace lunglens;
using core::dicom::Catalog;
using core::dicom::SeriesInfo;
using test::framesHighestFirst;
using test::writeEnhancedCt;
using Options = test::EnhancedCtOptions;

namespace {

const SeriesInfo& classicB40f() {
  static const Catalog catalog = core::dicom::scan(test::lungB40fFolder());
  return catalog.series.at(0);
}

void expectSameAsClassic(const Catalog& c) {
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_TRUE(c.skipped.empty()) << c.skipped.front().path << ": " << c.skipped.front().reason;
  const SeriesInfo& mf = c.series[0];
  const SeriesInfo& classic = classicB40f();
  ASSERT_EQ(mf.slices.size(), 30u);
  ASSERT_EQ(classic.slices.size(), 30u);
  EXPECT_TRUE(mf.warnings.empty()) << mf.warnings.front();
  EXPECT_EQ(mf.rows, classic.rows);
  EXPECT_EQ(mf.cols, classic.cols);
  EXPECT_EQ(mf.pixel_spacing_mm, classic.pixel_spacing_mm);
  EXPECT_EQ(mf.orientation, classic.orientation);
  EXPECT_DOUBLE_EQ(mf.slice_thickness_mm, classic.slice_thickness_mm);
  EXPECT_DOUBLE_EQ(mf.slice_spacing_mm, classic.slice_spacing_mm);
  for (std::size_t i = 0; i < 30; ++i) {
    EXPECT_EQ(mf.slices[i].path, mf.slices[0].path);
    EXPECT_EQ(mf.slices[i].frame, static_cast<int>(29 - i)) << "slice " << i;  // written highest first
    EXPECT_EQ(mf.slices[i].position_mm, classic.slices[i].position_mm) << "slice " << i;
  }
  const auto a = core::dicom::loadSeries(mf);
  const auto b = core::dicom::loadSeries(classic);
  const auto& ga = a->geometry();
  const auto& gb = b->geometry();
  ASSERT_EQ(std::make_tuple(ga.cols, ga.rows, ga.slices), std::make_tuple(gb.cols, gb.rows, gb.slices));
  EXPECT_EQ(ga.spacing_mm, gb.spacing_mm);
  EXPECT_EQ(ga.origin_mm, gb.origin_mm);
  EXPECT_EQ(ga.normal, gb.normal);
  std::size_t differ = 0, nonzero = 0;
  for (int z = 0; z < gb.slices; ++z) {
    EXPECT_DOUBLE_EQ(a->slicePosition_mm(z), b->slicePosition_mm(z));
    for (int y = 0; y < gb.rows; ++y)
      for (int x = 0; x < gb.cols; ++x) {
        differ += a->at(x, y, z) != b->at(x, y, z);
        nonzero += b->at(x, y, z) != 0;
      }
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_GT(nonzero, 0u);
}

}  // namespace

TEST(MultiFrame, EnhancedCtLoadsLikeTheClassicSeries) {
  const fs::path dir = test::scratchDir("enhanced-ct");
  writeEnhancedCt(framesHighestFirst(), dir / "enhanced.dcm");
  const Catalog c = core::dicom::scan(dir);
  // Uncompressed little endian: the raw fast path, one offset per frame.
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_NE(c.series[0].slices[1].raw.offset, 0u);
  EXPECT_EQ(c.series[0].slices[0].raw.offset - c.series[0].slices[1].raw.offset,
            std::uint64_t(c.series[0].rows) * std::uint64_t(c.series[0].cols) * 2);
  expectSameAsClassic(c);
}

// "Im" of an enhanced file's frames: all share InstanceNumber 1, so the reader's number is the frame's within the
// file (1-based, DICOM's Referenced Frame Number), not the stack position (docs/NUMBERING.md). The frames were
// written highest first, so frame 1 is the top slice (index 29) and the numbers run against the stack.
TEST(MultiFrame, ImageNumbersAreTheFrameNumbersInTheFile) {
  const fs::path dir = test::scratchDir("enhanced-ct-numbers");
  writeEnhancedCt(framesHighestFirst(), dir / "enhanced.dcm");
  const Catalog c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  const SeriesInfo& s = c.series[0];
  ASSERT_EQ(s.slices.size(), 30u);
  EXPECT_EQ(core::dicom::numberingOf(s), core::dicom::Numbering::FrameNumber);
  const std::vector<int> numbers = core::dicom::imageNumbers(s);
  ASSERT_EQ(numbers.size(), 30u);
  const std::vector<fs::path> written = framesHighestFirst();
  for (int z = 0; z < 30; ++z) {
    const int frame = 30 - z;
    EXPECT_EQ(numbers[static_cast<std::size_t>(z)], frame) << z;
    EXPECT_EQ(core::dicom::imageNumber(s, z), frame);
    EXPECT_EQ(core::dicom::imageLabel(s, z), "Im " + std::to_string(frame));
    EXPECT_EQ(core::dicom::parseSliceSpec(s, "im:" + std::to_string(frame)), z);
    // Frame k holds the k-th file written: the same position as that classic slice.
    EXPECT_DOUBLE_EQ(s.slices[static_cast<std::size_t>(z)].position_mm[2],
                     test::positionZ(written[static_cast<std::size_t>(frame - 1)]));
  }
  EXPECT_EQ(core::dicom::parseSliceSpec(s, "0"), 0);  // the index stays the index
  try {
    core::dicom::parseSliceSpec(s, "im:31");
    ADD_FAILURE() << "im:31 accepted";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no image 31 in the series (images 1 to 30, frame numbers in the multi-frame "
                                         "file)"),
              std::string::npos)
        << e.what();
  }
  // The classic files of the same slices keep their InstanceNumbers.
  EXPECT_EQ(core::dicom::numberingOf(classicB40f()), core::dicom::Numbering::InstanceNumber);
}

// Two enhanced files in one series (each InstanceNumber 1, frames 1..15 each): neither the InstanceNumber nor the
// frame number names a slice alone, so the series is numbered 1.. from the lowest, like any series without usable
// numbers.
TEST(MultiFrame, TwoEnhancedFilesInOneSeriesAreNumberedByPosition) {
  const fs::path dir = test::scratchDir("enhanced-ct-two-files");
  std::vector<fs::path> files = framesHighestFirst();
  writeEnhancedCt({files.begin(), files.begin() + 15}, dir / "upper.dcm");
  writeEnhancedCt({files.begin() + 15, files.end()}, dir / "lower.dcm");
  const Catalog c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  const SeriesInfo& s = c.series[0];
  ASSERT_EQ(s.slices.size(), 30u);
  EXPECT_EQ(core::dicom::numberingOf(s), core::dicom::Numbering::Position);
  for (int z = 0; z < 30; ++z) EXPECT_EQ(core::dicom::imageNumber(s, z), z + 1);
  EXPECT_EQ(core::dicom::parseSliceSpec(s, "im:1"), 0);
}

TEST(MultiFrame, BigEndianEnhancedCtDecodesThroughGdcmPerFrame) {
  const fs::path dir = test::scratchDir("enhanced-ct-big-endian");
  writeEnhancedCt(framesHighestFirst(), dir / "enhanced.dcm", {EXS_BigEndianExplicit, -1, ""});
  const Catalog c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices[0].raw.offset, 0u);  // not the fast path: GDCM decodes frame k
  expectSameAsClassic(c);
}

TEST(MultiFrame, FrameWithoutPositionIsRefusedWithAReason) {
  const fs::path dir = test::scratchDir("enhanced-ct-no-position");
  writeEnhancedCt(framesHighestFirst(), dir / "enhanced.dcm", {EXS_LittleEndianExplicit, 4, ""});
  const Catalog c = core::dicom::scan(dir);
  EXPECT_TRUE(c.series.empty());
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].reason,
            "multi-frame image (30 frames): frame 5 has no position (Plane Position Sequence)");
}

// The GDCM path keeps a decoded multi-frame file per thread for its next frames: a file rewritten in place (other
// frames in the same bytes' room) must be decoded again, not served from the old pixels.
TEST(MultiFrame, RewrittenFileIsDecodedAgain) {
  const fs::path dir = test::scratchDir("enhanced-ct-rewritten");
  const fs::path file = dir / "enhanced.dcm";
  std::vector<fs::path> files = framesHighestFirst();
  files.resize(4);
  const Options options{EXS_BigEndianExplicit, -1, "1.2.3.4.5"};  // the same UID: the rewrite has the same size
  writeEnhancedCt(files, file, options);
  const auto sizeBefore = fs::file_size(file);
  const auto timeBefore = fs::last_write_time(file);
  const SeriesInfo& classic = classicB40f();
  const int rows = classic.rows, cols = classic.cols;
  const std::size_t pixels = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  std::vector<std::int16_t> highest(pixels), second(pixels), fourthHighest(pixels), before(pixels), after(pixels);
  // The references first: decoding another file in between would empty the thread's buffer.
  core::dicom::decodeSliceHu(classic.slices[29].path, 0, rows, cols, highest.data());
  core::dicom::decodeSliceHu(classic.slices[28].path, 0, rows, cols, second.data());
  core::dicom::decodeSliceHu(classic.slices[26].path, 0, rows, cols, fourthHighest.data());
  core::dicom::decodeSliceHu(file.string(), 0, rows, cols, before.data());  // frame 0: the highest
  EXPECT_EQ(before, highest);
  // Frame 1 stores values 1000 higher with its own intercept (as the case library asks: path and frame only).
  core::dicom::decodeSliceHu(file.string(), 1, rows, cols, before.data());
  EXPECT_EQ(before, second);
  std::reverse(files.begin(), files.end());
  writeEnhancedCt(files, file, options);
  ASSERT_EQ(fs::file_size(file), sizeBefore);
  // As a later save would leave it (a rewrite within the file system's clock tick could keep the old time).
  fs::last_write_time(file, timeBefore + std::chrono::seconds(1));
  core::dicom::decodeSliceHu(file.string(), 0, rows, cols, after.data());  // now the 4th highest
  EXPECT_EQ(after, fourthHighest);
}

// Seeded mutations of a 4-frame Enhanced CT (the first 4 KiB, where the functional groups live, are hit most):
// scanning and loading each mutant, in a forked child, never crashes, hangs, fails inside or over-allocates.
TEST(MultiFrame, MutatedEnhancedCtIsReadOrRefusedCleanly) {
  const fs::path dir = test::scratchDir("enhanced-ct-fuzz");
  std::vector<fs::path> files = framesHighestFirst();
  files.resize(4);
  writeEnhancedCt(files, dir / "seed.dcm");
  const std::string seed = test::fuzz::readFile((dir / "seed.dcm").string());
  fs::remove(dir / "seed.dcm");
  test::fuzz::Report report;
  test::fuzz::Rng rng(14);
  for (int i = 0; i < 256; ++i) {
    const std::string mutant = test::fuzz::mutateBytes(seed, rng);
    const fs::path sub = dir / ("m" + std::to_string(i));
    fs::create_directories(sub);
    test::fuzz::writeFile((sub / "enhanced.dcm").string(), mutant);
    std::string detail;
    std::size_t requested = 0;
    const auto o = test::fuzz::runIsolated(
        [&] {
          const Catalog c = core::dicom::scan(sub);
          for (const auto& s : c.series) {
            try {
              core::dicom::loadSeries(s);
            } catch (const core::InputError&) {
              // a bad frame is reported, not a failure
            }
          }
        },
        test::fuzz::budgetFor(mutant.size()), 20.0, detail, requested);
    report.add(o, "mutant " + std::to_string(i), detail, requested);
    if (o == test::fuzz::Outcome::Finished) fs::remove_all(sub);
  }
  EXPECT_EQ(report.crashes, 0) << report.summary();
  EXPECT_EQ(report.hangs, 0) << report.summary();
  EXPECT_EQ(report.internal_errors, 0) << report.summary();
  EXPECT_EQ(report.over_memory, 0) << report.summary();
  std::printf("%s\n", report.summary().c_str());
}
