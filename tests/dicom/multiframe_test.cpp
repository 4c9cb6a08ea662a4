// Enhanced multi-frame CT (one file, many frames): the 30 real B40f slices rewritten with DCMTK as one Enhanced CT
// Image Storage file, frame positions in the Per-frame Functional Groups, geometry and rescale in the Shared ones.
// The scan must find one series of 30 slices whose positions and voxels equal the classic series'.
#include <gtest/gtest.h>

#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <tuple>
#include <vector>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"
#include "tests/fuzz/fuzz_support.h"

namespace fs = std::filesystem;
using namespace lunglens;
using core::dicom::Catalog;
using core::dicom::SeriesInfo;

namespace {

constexpr const char* kEnhancedCt = "1.2.840.10008.5.1.4.1.1.2.1";

std::string textOf(DcmDataset& ds, const DcmTagKey& key) {
  OFString v;
  ds.findAndGetOFStringArray(key, v);
  return v.c_str();
}

void insertMacro(DcmItem& groups, const DcmTagKey& sequence, const DcmTagKey& key, const std::string& value) {
  DcmItem* macro = nullptr;
  ASSERT_TRUE(groups.findOrCreateSequenceItem(sequence, macro, 0).good());
  ASSERT_TRUE(macro->putAndInsertString(key, value.c_str()).good());
}

struct Options {
  E_TransferSyntax syntax = EXS_LittleEndianExplicit;
  int frameWithoutPosition = -1;  // a frame whose Plane Position Sequence is left out
  std::string sopInstanceUid;     // empty: a new one
};

// Writes the slices of `files` (in the order given) as the frames of one Enhanced CT file. Odd frames keep their
// stored values 1000 higher with their own rescale intercept 1000 lower (a per-frame Pixel Value Transformation);
// even frames use the shared one.
void writeEnhancedCt(const std::vector<fs::path>& files, const fs::path& out, const Options& options = {}) {
  DcmFileFormat first;
  ASSERT_TRUE(first.loadFile(files.front().c_str()).good());
  DcmDataset& src = *first.getDataset();
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  for (const DcmTagKey& key : {DCM_PatientName, DCM_PatientID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID,
                               DCM_StudyDate, DCM_StudyDescription, DCM_SeriesDescription, DCM_SeriesNumber,
                               DCM_FrameOfReferenceUID, DCM_Modality}) {
    ASSERT_TRUE(ds.putAndInsertString(key, textOf(src, key).c_str()).good());
  }
  char uid[100];
  ds.putAndInsertString(DCM_SOPClassUID, kEnhancedCt);
  ds.putAndInsertString(DCM_SOPInstanceUID, options.sopInstanceUid.empty()
                                                ? dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)
                                                : options.sopInstanceUid.c_str());
  ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL\\NONE");
  ds.putAndInsertString(DCM_InstanceNumber, "1");
  ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(files.size()).c_str());
  Uint16 rows = 0, cols = 0;
  src.findAndGetUint16(DCM_Rows, rows);
  src.findAndGetUint16(DCM_Columns, cols);
  ds.putAndInsertUint16(DCM_Rows, rows);
  ds.putAndInsertUint16(DCM_Columns, cols);
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);

  DcmItem* shared = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  insertMacro(*shared, DCM_PixelMeasuresSequence, DCM_PixelSpacing, textOf(src, DCM_PixelSpacing));
  insertMacro(*shared, DCM_PixelMeasuresSequence, DCM_SliceThickness, textOf(src, DCM_SliceThickness));
  insertMacro(*shared, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient,
              textOf(src, DCM_ImageOrientationPatient));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleIntercept, textOf(src, DCM_RescaleIntercept));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleSlope, textOf(src, DCM_RescaleSlope));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleType, "HU");

  const std::size_t pixels = std::size_t(rows) * cols;
  std::vector<Uint16> all(pixels * files.size());
  for (std::size_t k = 0; k < files.size(); ++k) {
    DcmFileFormat slice;
    ASSERT_TRUE(slice.loadFile(files[k].c_str()).good()) << files[k];
    DcmDataset& s = *slice.getDataset();
    EXPECT_EQ(textOf(s, DCM_RescaleIntercept), textOf(src, DCM_RescaleIntercept)) << "the series' rescale varies";
    const Uint16* data = nullptr;
    unsigned long count = 0;
    ASSERT_TRUE(s.findAndGetUint16Array(DCM_PixelData, data, &count).good());
    ASSERT_EQ(count, pixels);
    const bool odd = k % 2 == 1;
    // The source stores 12 bits (BitsStored 12): keep those, as a reader of the source does.
    for (std::size_t i = 0; i < pixels; ++i) all[k * pixels + i] = static_cast<Uint16>((data[i] & 0x0fff) + (odd ? 1000 : 0));
    DcmItem* frame = nullptr;
    ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, static_cast<long>(k)).good());
    if (static_cast<int>(k) != options.frameWithoutPosition) {
      insertMacro(*frame, DCM_PlanePositionSequence, DCM_ImagePositionPatient, textOf(s, DCM_ImagePositionPatient));
    }
    if (odd) {
      const double intercept = std::stod(textOf(s, DCM_RescaleIntercept)) - 1000.0;
      insertMacro(*frame, DCM_PixelValueTransformationSequence, DCM_RescaleIntercept, std::to_string(intercept).substr(0, 12));
      insertMacro(*frame, DCM_PixelValueTransformationSequence, DCM_RescaleSlope, textOf(s, DCM_RescaleSlope));
    }
    insertMacro(*frame, DCM_FrameContentSequence, DCM_InStackPositionNumber, std::to_string(k + 1));
  }
  ASSERT_TRUE(ds.putAndInsertUint16Array(DCM_PixelData, all.data(), static_cast<unsigned long>(all.size())).good());
  const OFCondition saved = file.saveFile(out.c_str(), options.syntax);
  ASSERT_TRUE(saved.good()) << saved.text();
}

const SeriesInfo& classicB40f() {
  static const Catalog catalog = core::dicom::scan(test::lungB40fFolder());
  return catalog.series.at(0);
}

// Frames written highest first, so the scan has to sort them by their functional-group positions.
std::vector<fs::path> framesHighestFirst() {
  std::vector<fs::path> files = test::filesByZ(test::lungB40fFolder());
  std::reverse(files.begin(), files.end());
  return files;
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
