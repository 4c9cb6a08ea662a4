// Every compressed transfer syntax GDCM decodes loads: real CT slices re-encoded with GDCM's codecs decode to the
// same Hounsfield units (exactly for lossless syntaxes, closely for lossy ones).
#include <gdcmTransferSyntax.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

struct Syntax {
  const char* name;
  gdcm::TransferSyntax::TSType ts;
  bool lossy;
  double max_mean_abs_error_hu;  // 0 for lossless
};

const Syntax kSyntaxes[] = {
    {"explicit-little-endian", gdcm::TransferSyntax::ExplicitVRLittleEndian, false, 0},
    {"explicit-big-endian", gdcm::TransferSyntax::ExplicitVRBigEndian, false, 0},
    {"jpeg-lossless-sv1", gdcm::TransferSyntax::JPEGLosslessProcess14_1, false, 0},
    {"jpeg-lossless", gdcm::TransferSyntax::JPEGLosslessProcess14, false, 0},
    {"jpeg-extended-lossy", gdcm::TransferSyntax::JPEGExtendedProcess2_4, true, 15},
    {"jpeg-ls-lossless", gdcm::TransferSyntax::JPEGLSLossless, false, 0},
    {"jpeg-ls-near-lossless", gdcm::TransferSyntax::JPEGLSNearLossless, true, 3},
    {"jpeg2000-lossless", gdcm::TransferSyntax::JPEG2000Lossless, false, 0},
    {"jpeg2000-lossy", gdcm::TransferSyntax::JPEG2000, true, 30},
    {"rle", gdcm::TransferSyntax::RLELossless, false, 0},
};

}  // namespace

TEST(TransferSyntaxes, ReencodedSlicesDecodeToTheSameHu) {
  const fs::path dir = test::scratchDir("syntaxes");
  const fs::path original = test::filesByZ(test::lungB40fFolder())[15];
  const std::vector<double> reference = test::referenceHu(original);
  for (const Syntax& syntax : kSyntaxes) {
    SCOPED_TRACE(syntax.name);
    const fs::path file = dir / (std::string(syntax.name) + ".dcm");
    test::transcode(original, file, gdcm::TransferSyntax(syntax.ts), syntax.lossy);
    const auto catalog = core::dicom::scan(file);
    ASSERT_EQ(catalog.series.size(), 1u) << (catalog.skipped.empty() ? "" : catalog.skipped[0].reason);
    const auto hu = core::dicom::loadSlice(catalog.series[0], 0);
    ASSERT_EQ(hu.size(), reference.size());
    double sumAbs = 0;
    for (std::size_t i = 0; i < hu.size(); ++i) sumAbs += std::abs(hu[i] - reference[i]);
    const double meanAbs = sumAbs / static_cast<double>(hu.size());
    if (syntax.lossy) {
      EXPECT_GT(meanAbs, 0.0) << "the lossy codec was not applied";
      EXPECT_LT(meanAbs, syntax.max_mean_abs_error_hu);
    } else {
      EXPECT_EQ(meanAbs, 0.0);
    }
  }
  const fs::path deflated = dir / "deflated.dcm";
  test::deflate(original, deflated);
  const auto catalog = core::dicom::scan(deflated);
  ASSERT_EQ(catalog.series.size(), 1u) << (catalog.skipped.empty() ? "" : catalog.skipped[0].reason);
  const auto hu = core::dicom::loadSlice(catalog.series[0], 0);
  for (std::size_t i = 0; i < hu.size(); ++i) ASSERT_EQ(hu[i], reference[i]) << i;
}

TEST(TransferSyntaxes, GreyscaleSecondaryCapturesStillDecode) {
  // Skipped by the scan (no patient geometry), but their codecs must work: the decoder is shared.
  struct File {
    const char* name;
    int rows, cols;
  };
  for (const File& f : {File{"JPEG-lossy.dcm", 1024, 256}, File{"JPGExtended.dcm", 1024, 256},
                        File{"JPEG2000.dcm", 1024, 256}, File{"JPEGLSNearLossless_16.dcm", 50, 10},
                        File{"JPEGLSNearLossless_08.dcm", 45, 10}, File{"image_dfl.dcm", 512, 512}}) {
    SCOPED_TRACE(f.name);
    std::vector<std::int16_t> hu(static_cast<std::size_t>(f.rows) * f.cols);
    core::dicom::decodeSliceHu((test::pydicomTestFiles() / f.name).string(), 0, f.rows, f.cols, hu.data());
    EXPECT_NE(*std::min_element(hu.begin(), hu.end()), *std::max_element(hu.begin(), hu.end()));
  }
  std::vector<std::int16_t> wrongSize(64 * 64);
  EXPECT_THROW(core::dicom::decodeSliceHu((test::pydicomTestFiles() / "JPEG2000.dcm").string(), 0, 64, 64,
                                         wrongSize.data()),
               core::InputError);
}

TEST(TransferSyntaxes, CompressedSeriesDecodeInParallel) {
  // A series whose slices use different codecs, decoded by 4 threads at once: every slice matches its original.
  const fs::path dir = test::scratchDir("syntaxes-parallel");
  auto originals = test::filesByZ(test::lungB40fFolder());
  originals.resize(12);
  const gdcm::TransferSyntax::TSType codecs[] = {gdcm::TransferSyntax::JPEGLosslessProcess14_1,
                                                 gdcm::TransferSyntax::JPEGLSLossless,
                                                 gdcm::TransferSyntax::JPEG2000Lossless,
                                                 gdcm::TransferSyntax::RLELossless};
  for (std::size_t i = 0; i < originals.size(); ++i) {
    test::transcode(originals[i], dir / ("slice-" + std::to_string(i) + ".dcm"), gdcm::TransferSyntax(codecs[i % 4]));
  }
  const auto catalog = core::dicom::scan(dir);
  ASSERT_EQ(catalog.series.size(), 1u);
  ASSERT_EQ(catalog.series[0].slices.size(), 12u);
  core::dicom::LoadOptions options;
  options.threads = 4;
  const auto volume = core::dicom::loadSeries(catalog.series[0], options);
  for (int z = 0; z < 12; ++z) {
    const auto reference = test::referenceHu(originals[static_cast<std::size_t>(z)]);
    EXPECT_TRUE(std::equal(reference.begin(), reference.end(), volume->slice(z))) << "slice " << z;
  }
}
