// Every file of pydicom's test set is either loaded or skipped with a reason; nothing crashes. The table below is
// the expected outcome per file, so any change of behaviour shows up here.
//
// Decisions recorded by the table:
//  - single CT and MR slices with position and orientation load as 1-slice series (MR with a warning that its
//    values are not Hounsfield units); every compressed MR_small variant decodes to the same pixels;
//  - secondary captures (even greyscale ones), RGB/YBR/palette images, RT, SR, waveforms and segmentations are
//    skipped; multi-frame images load one slice per frame when their functional groups place every frame, and are
//    skipped otherwise ("multi-frame image (N frames): ..."; see tests/dicom/multiframe_test.cpp);
//  - damaged files are skipped, including one that trips an assert inside GDCM (see core/dicom/abort_guard.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

const char* const kLoaded = "loaded";

const std::map<std::string, std::string>& expectedOutcomes() {
  static const std::map<std::string, std::string> table = {
      {"693_J2KI.dcm", kLoaded},  // CT, JPEG 2000 lossy
      {"CT_small.dcm", kLoaded},
      {"ExplVR_BigEnd.dcm", "RGB image, not a CT slice"},  // ultrasound, big endian
      {"ExplVR_BigEndNoMeta.dcm", "RT Ion Plan: no image"},
      {"ExplVR_LitEndNoMeta.dcm", "RT Ion Plan: no image"},
      {"GDCMJ2K_TextGBR.dcm", "RGB image, not a CT slice"},
      {"J2K_pixelrep_mismatch.dcm", kLoaded},  // CT, JPEG 2000; oblique
      {"JPEG-lossy.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"JPEG2000-embedded-sequence-delimiter.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"JPEG2000.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"JPEGLSNearLossless_08.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"JPEGLSNearLossless_16.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"JPGExtended.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"LICENSE", "not a DICOM file"},
      {"MR_small.dcm", kLoaded},
      {"MR_small_RLE.dcm", kLoaded},
      {"MR_small_bigendian.dcm", kLoaded},
      {"MR_small_expb.dcm", kLoaded},
      {"MR_small_implicit.dcm", kLoaded},
      {"MR_small_jp2klossless.dcm", kLoaded},
      {"MR_small_jpeg_ls_lossless.dcm", kLoaded},
      {"MR_small_padded.dcm", kLoaded},
      {"MR_truncated.dcm", "truncated file: the pixel data is incomplete"},
      {"README.txt", "not a DICOM file"},
      {"SC_jpeg_no_color_transform.dcm", "RGB image, not a CT slice"},
      {"SC_jpeg_no_color_transform_2.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cr.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cy+n1.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cy+n2.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cy+np.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cy+s2.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_dcmtk_+eb+cy+s4.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_gdcm_KY.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jls_lossy_line.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jls_lossy_sample.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jpeg.dcm", "no pixel data"},  // its data set is corrupt after the first elements
      {"SC_rgb_jpeg_app14_dcmd.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jpeg_dcmd.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jpeg_dcmtk.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jpeg_gdcm.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_jpeg_lossy_gdcm.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle_16bit.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle_16bit_2frame.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle_2frame.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle_32bit.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_rle_32bit_2frame.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_small_odd.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_small_odd_big_endian.dcm", "RGB image, not a CT slice"},
      {"SC_rgb_small_odd_jpeg.dcm", "RGB image, not a CT slice"},
      {"SC_ybr_full_422_uncompressed.dcm", "RGB image, not a CT slice"},
      {"UN_sequence.dcm", "no pixel data"},
      {"badVR.dcm", "RT Dose: a dose grid, not a CT image"},
      {"empty_charset_LEI.dcm", "no pixel data"},
      {"examples_jpeg2k.dcm", "RGB image, not a CT slice"},
      {"examples_overlay.dcm", kLoaded},  // MR 484x300
      {"examples_palette.dcm", "palette colour image, not a CT slice"},
      {"examples_rgb_color.dcm", "RGB image, not a CT slice"},
      {"examples_ybr_color.dcm", "RGB image, not a CT slice"},
      {"image_dfl.dcm", "Secondary capture: no patient geometry, not a CT slice"},
      {"liver_1frame.dcm", "Segmentation or registration object, not a CT image"},
      {"liver_expb_1frame.dcm", "Segmentation or registration object, not a CT image"},
      {"meta_missing_tsyntax.dcm", "damaged DICOM file"},
      {"nested_priv_SQ.dcm", "no image size (Rows/Columns)"},
      {"no_meta.dcm", "not a DICOM file"},  // a bare data set without preamble: GDCM cannot read it
      {"no_meta_group_length.dcm", "no pixel data"},
      {"priv_SQ.dcm", "no pixel data"},
      {"reportsi.dcm", "Structured report: no image"},
      {"reportsi_with_empty_number_tags.dcm", "Structured report: no image"},
      {"rtdose.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtdose_1frame.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtdose_expb.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtdose_expb_1frame.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtdose_rle.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtdose_rle_1frame.dcm", "RT Dose: a dose grid, not a CT image"},
      {"rtplan.dcm", "RT Plan: no image"},
      {"rtplan_truncated.dcm", "damaged DICOM file"},
      {"rtstruct.dcm", "RT Structure Set: no image"},
      {"test-SR.dcm", "Structured report: no image"},
      {"waveform_ecg.dcm", "Waveform: no image"},
  };
  return table;
}

std::size_t filesUnder(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

std::size_t accountedFor(const core::dicom::Catalog& c) {
  std::size_t n = c.skipped.size() + c.dicomdirs.size();
  for (const auto& s : c.series) n += s.slices.size();
  return n;
}

}  // namespace

TEST(PydicomFiles, TheTableCoversEveryFile) {
  for (const auto& e : fs::directory_iterator(test::pydicomTestFiles())) {
    if (!e.is_regular_file()) continue;
    EXPECT_TRUE(expectedOutcomes().count(e.path().filename().string()))
        << e.path().filename() << " is new: add its expected outcome to the table";
  }
}

TEST(PydicomFiles, EachFileIsLoadedOrSkippedAsExpected) {
  std::vector<std::int16_t> mrReference;
  for (const auto& [name, expected] : expectedOutcomes()) {
    SCOPED_TRACE(name);
    const fs::path file = test::pydicomTestFiles() / name;
    ASSERT_TRUE(fs::exists(file));
    const auto catalog = core::dicom::scan(file);
    if (expected == kLoaded) {
      ASSERT_EQ(catalog.series.size(), 1u);
      EXPECT_TRUE(catalog.skipped.empty());
      const auto& s = catalog.series[0];
      ASSERT_EQ(s.slices.size(), 1u);
      const auto volume = core::dicom::loadSeries(s);
      EXPECT_TRUE(volume->complete());
      const std::int16_t* px = volume->slice(0);
      EXPECT_NE(*std::min_element(px, px + s.rows * s.cols), *std::max_element(px, px + s.rows * s.cols));
      // The raw-pixel fast path (uncompressed files) and GDCM's decoder agree.
      core::dicom::SeriesInfo viaGdcm = s;
      viaGdcm.slices[0].raw.offset = 0;
      const auto slow = core::dicom::loadSeries(viaGdcm);
      EXPECT_TRUE(std::equal(px, px + s.rows * s.cols, slow->slice(0)));
      if (name.rfind("MR_small", 0) == 0) {
        // Every transfer syntax of the same MR image decodes to the same values.
        std::vector<std::int16_t> values(px, px + s.rows * s.cols);
        if (mrReference.empty()) mrReference = values;
        EXPECT_EQ(values, mrReference);
        EXPECT_EQ(s.warnings.back(), "modality MR: values are not Hounsfield units");
      }
    } else {
      EXPECT_TRUE(catalog.series.empty());
      ASSERT_EQ(catalog.skipped.size(), 1u);
      EXPECT_EQ(catalog.skipped[0].path, file.string());
      EXPECT_NE(catalog.skipped[0].reason.find(expected), std::string::npos) << catalog.skipped[0].reason;
      EXPECT_EQ(catalog.skipped[0].reason.find('\n'), std::string::npos);
    }
  }
}

TEST(PydicomFiles, ScanningTheWholeFolderAccountsForEveryFile) {
  const auto catalog = core::dicom::scan(test::pydicomTestFiles());
  EXPECT_EQ(accountedFor(catalog), filesUnder(test::pydicomTestFiles()));
  // The eight MR_small copies share one SOP Instance UID: one slice, the others skipped as duplicates.
  int duplicates = 0;
  for (const auto& f : catalog.skipped) duplicates += f.reason.find("duplicate instance") != std::string::npos;
  EXPECT_EQ(duplicates, 7);
}

TEST(Dicomdir, ListsTheSameSeriesInEveryEncoding) {
  const fs::path dir = test::pydicomTestFiles() / "dicomdirtests";
  const auto reference = core::dicom::scan(dir / "DICOMDIR");
  ASSERT_EQ(reference.dicomdirs.size(), 1u);
  ASSERT_FALSE(reference.series.empty());
  std::size_t slices = 0;
  for (const auto& s : reference.series) slices += s.slices.size();
  EXPECT_EQ(slices + reference.skipped.size(), 31u);  // the 31 images the DICOMDIR lists, all on disk
  for (const auto& f : reference.skipped) EXPECT_EQ(f.reason.find("but not found"), std::string::npos) << f.path;
  for (const char* variant : {"DICOMDIR-bigEnd", "DICOMDIR-implicit", "DICOMDIR-reordered", "DICOMDIR-nopatient"}) {
    SCOPED_TRACE(variant);
    const auto c = core::dicom::scan(dir / variant);
    ASSERT_EQ(c.series.size(), reference.series.size());
    for (std::size_t i = 0; i < c.series.size(); ++i) {
      EXPECT_EQ(c.series[i].series_uid, reference.series[i].series_uid);
      EXPECT_EQ(c.series[i].slices.size(), reference.series[i].slices.size());
    }
  }
}

TEST(Dicomdir, EmptyDamagedAndTinyDicomdirs) {
  const fs::path dir = test::pydicomTestFiles() / "dicomdirtests";
  const auto empty = core::dicom::scan(dir / "DICOMDIR-empty.dcm");
  EXPECT_TRUE(empty.series.empty());
  EXPECT_TRUE(empty.skipped.empty());
  EXPECT_EQ(empty.dicomdirs.size(), 1u);

  const auto damaged = core::dicom::scan(dir / "DICOMDIR-nooffset");  // aborts inside GDCM without the guard
  EXPECT_TRUE(damaged.series.empty());
  ASSERT_EQ(damaged.skipped.size(), 1u);
  EXPECT_NE(damaged.skipped[0].reason.find("damaged DICOM file"), std::string::npos);

  const auto tiny = core::dicom::scan(dir / "TINY_ALPHA" / "DICOMDIR");  // 50 instances without pixel data
  EXPECT_TRUE(tiny.series.empty());
  EXPECT_EQ(tiny.skipped.size(), 50u);
  for (const auto& f : tiny.skipped) EXPECT_EQ(f.reason, "no pixel data (CT)");
}

TEST(Dicomdir, ReportsListedFilesThatAreMissing) {
  const fs::path src = test::pydicomTestFiles() / "dicomdirtests";
  const fs::path dir = test::scratchDir("dicomdir-missing");
  fs::copy_file(src / "DICOMDIR", dir / "DICOMDIR");
  fs::create_directories(dir / "77654033" / "CT2");
  fs::copy_file(src / "77654033" / "CT2" / "17136", dir / "77654033" / "CT2" / "17136");
  const auto c = core::dicom::scan(dir / "DICOMDIR");
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 1u);
  EXPECT_EQ(c.skipped.size(), 30u);
  for (const auto& f : c.skipped) EXPECT_NE(f.reason.find("but not found"), std::string::npos) << f.reason;
}

TEST(Dicomdir, FolderScanAccountsForEveryFile) {
  const fs::path dir = test::pydicomTestFiles() / "dicomdirtests";
  const auto c = core::dicom::scan(dir);
  EXPECT_EQ(accountedFor(c), filesUnder(dir));
  EXPECT_EQ(c.dicomdirs.size(), 7u);  // all but the damaged DICOMDIR-nooffset (TINY_ALPHA's included)
}

TEST(Dicomdir, TheNameAloneDecidesNothing) {
  const fs::path dir = test::scratchDir("dicomdir-names");
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  // A damaged DICOMDIR is a skipped file, not an error for the whole scan.
  fs::copy_file(test::pydicomTestFiles() / "dicomdirtests" / "DICOMDIR-nooffset", dir / "a" / "DICOMDIR");
  const auto damaged = core::dicom::scan(dir / "a" / "DICOMDIR");
  ASSERT_EQ(damaged.skipped.size(), 1u);
  EXPECT_TRUE(damaged.dicomdirs.empty());
  // A CT slice that happens to be called DICOMDIR is a CT slice.
  fs::copy_file(test::pydicomTestFiles() / "CT_small.dcm", dir / "b" / "DICOMDIR");
  const auto slice = core::dicom::scan(dir / "b" / "DICOMDIR");
  ASSERT_EQ(slice.series.size(), 1u);
  EXPECT_TRUE(slice.dicomdirs.empty());
}
