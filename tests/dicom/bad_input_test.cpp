// Damaged and unusual DICOM files made from real slices (issue 18): text in other character sets or with invalid
// bytes, a length field that asks for gigabytes, Samples per Pixel that GDCM asserts on, a truncated JPEG
// Lossless code stream. Each is contained: decoded text, a skipped file or an error for that slice, never a crash,
// a huge allocation or a silently incomplete image.
#include <gdcmAttribute.h>
#include <gdcmDataSet.h>
#include <gdcmSequenceOfFragments.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>

#include "core/common/error.h"
#include "core/dicom/file_header.h"
#include "core/dicom/scan.h"
#include "core/dicom/slice_decoder.h"
#include "core/dicom/text_decode.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

std::vector<fs::path> realSlices(const fs::path& dir, int n) {
  auto files = test::filesByZ(test::lungB40fFolder());
  files.resize(static_cast<std::size_t>(n));
  return test::copyAs(files, dir);
}

std::string bytesOf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const fs::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void setUs(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::uint16_t value) {
  gdcm::DataElement de{gdcm::Tag(group, element)};
  de.SetVR(gdcm::VR::US);
  const char bytes[2] = {static_cast<char>(value & 0xff), static_cast<char>(value >> 8)};
  de.SetByteValue(bytes, 2);
  ds.Replace(de);
}

// The offset of the element (group, element) in a little-endian file, found by its tag bytes (the first match
// after the preamble: good enough for the top-level elements of these real slices).
std::size_t elementOffset(const std::string& bytes, std::uint16_t group, std::uint16_t element) {
  const char tag[4] = {static_cast<char>(group & 0xff), static_cast<char>(group >> 8),
                       static_cast<char>(element & 0xff), static_cast<char>(element >> 8)};
  const auto at = bytes.find(std::string(tag, 4), 132);
  return at;
}

}  // namespace

TEST(DicomText, DecodedByTheSpecificCharacterSet) {
  EXPECT_EQ(core::dicom::decodeDicomText("M\xfcller^Hans", "ISO_IR 100"), "M\xc3\xbcller^Hans");
  EXPECT_EQ(core::dicom::decodeDicomText("\xc8\xd2\xc2", "ISO_IR 144"), "\xd0\xa8\xd0\xb2\xd0\xa2");  // Cyrillic
  EXPECT_EQ(core::dicom::decodeDicomText("caf\xc3\xa9", "ISO_IR 192"), "caf\xc3\xa9");
  // Invalid bytes become U+FFFD, in UTF-8 and in the default repertoire alike.
  EXPECT_EQ(core::dicom::decodeDicomText("A\xff\xfe" "B", "ISO_IR 192"), "A\xef\xbf\xbd\xef\xbf\xbd" "B");
  EXPECT_EQ(core::dicom::decodeDicomText("A\x80" "B", ""), "A\xef\xbf\xbd" "B");
  EXPECT_EQ(core::dicom::decodeDicomText("caf\xc3\xa9", ""), "caf\xc3\xa9");  // undeclared UTF-8 kept
  EXPECT_EQ(core::dicom::validUtf8("\xed\xa0\x80 \xc0\xaf ok"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd ok");
}

TEST(DicomText, Latin1AndDamagedTextInARealFileComeOutAsUtf8) {
  const fs::path dir = test::scratchDir("charset");
  const auto files = realSlices(dir, 2);
  test::editDicom(files[0], [](gdcm::DataSet& ds) {
    test::setText(ds, 0x0008, 0x0005, "ISO_IR 100");
    test::setText(ds, 0x0010, 0x0010, "M\xfcller^J\xf6rg");
    test::setText(ds, 0x0008, 0x103e, "Thorax \xe0 1 mm");
  });
  const auto latin1 = core::dicom::readFileHeader(files[0]);
  ASSERT_TRUE(latin1.header) << latin1.error;
  EXPECT_EQ(latin1.header->patient_name, "M\xc3\xbcller^J\xc3\xb6rg");
  EXPECT_EQ(latin1.header->series_description, "Thorax \xc3\xa0 1 mm");

  test::editDicom(files[1], [](gdcm::DataSet& ds) {
    test::setText(ds, 0x0008, 0x0005, "ISO_IR 192");
    test::setText(ds, 0x0008, 0x1030, "CT \xff\xfe chest");  // not UTF-8: one flipped byte pair
  });
  const auto damaged = core::dicom::readFileHeader(files[1]);
  ASSERT_TRUE(damaged.header) << damaged.error;
  EXPECT_EQ(damaged.header->study_description, "CT \xef\xbf\xbd\xef\xbf\xbd chest");
}

TEST(DicomLengths, AHugeDeclaredLengthIsRefusedBeforeAllocating) {
  const fs::path dir = test::scratchDir("length");
  const auto files = realSlices(dir, 2);  // explicit VR little endian, as the fixtures write them
  const std::uint32_t huge = 0x7ffffff0u;  // 2 GiB, in a 0.5 MB file

  // 1. Four bytes over SeriesDescription's VR and length: GDCM gives up on explicit VR there and reads the data set
  //    again as implicit VR, where these bytes are a 2 GiB length (before: 48 s and gigabytes in this test).
  std::string bytes = bytesOf(files[0]);
  std::size_t at = elementOffset(bytes, 0x0008, 0x103e);
  ASSERT_NE(at, std::string::npos);
  std::memcpy(&bytes[at + 4], &huge, 4);
  writeBytes(files[0], bytes);
  auto start = std::chrono::steady_clock::now();
  const auto r = core::dicom::readFileHeader(files[0]);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(r.header);
  EXPECT_NE(r.error.find("damaged DICOM file: element ("), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(" declares "), std::string::npos) << r.error;
  EXPECT_LT(seconds, 1.0);

  // 2. The pixel data's own 32-bit length: the scan lists the slice as truncated; decoding it must not allocate.
  bytes = bytesOf(files[1]);
  at = elementOffset(bytes, 0x7fe0, 0x0010);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes.substr(at + 4, 2), "OW");
  std::memcpy(&bytes[at + 8], &huge, 4);
  writeBytes(files[1], bytes);
  start = std::chrono::steady_clock::now();
  std::vector<std::int16_t> hu(512 * 512);
  try {
    core::dicom::decodeSliceHu(files[1].string(), 0, 512, 512, hu.data());
    ADD_FAILURE() << "decoded pixel data that declares 2 GiB";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("element (7fe0,0010) declares 2147483632 bytes"), std::string::npos)
        << e.what();
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 1.0);
}

TEST(DicomLengths, SequencesNestedThousandsDeepAreRefused) {
  const fs::path dir = test::scratchDir("nesting");
  const auto files = realSlices(dir, 1);
  // Insert a private sequence (explicit VR, undefined lengths) nested 5,000 deep before the pixel data.
  std::string bytes = bytesOf(files[0]);
  const std::size_t pixels = elementOffset(bytes, 0x7fe0, 0x0010);
  ASSERT_NE(pixels, std::string::npos);
  std::string nest;
  const char sq[12] = {0x09, 0x00, 0x10, 0x10, 'S', 'Q', 0, 0, '\xff', '\xff', '\xff', '\xff'};  // (0009,1010)
  const char item[8] = {'\xfe', '\xff', 0x00, '\xe0', '\xff', '\xff', '\xff', '\xff'};  // item, undefined length
  for (int i = 0; i < 5000; ++i) nest += std::string(sq, 12) + std::string(item, 8);
  bytes.insert(pixels, nest);
  writeBytes(files[0], bytes);
  const auto r = core::dicom::readFileHeader(files[0]);
  EXPECT_FALSE(r.header);
  EXPECT_NE(r.error.find("sequences nested deeper than 32 levels"), std::string::npos) << r.error;
}

TEST(DicomPixelFormat, SamplesPerPixelGdcmAssertsOnIsSkippedNotAnAbort) {
  const fs::path dir = test::scratchDir("spp");
  const auto files = realSlices(dir, 6);
  const std::uint16_t bad[] = {0, 2, 5};
  for (int i = 0; i < 3; ++i)
    test::editDicom(files[static_cast<std::size_t>(2 * i + 1)], [&](gdcm::DataSet& ds) { setUs(ds, 0x0028, 0x0002, bad[i]); });
  // One folder, good and bad files mixed: the scan carries on (before: SIGABRT inside GDCM's PixelFormat).
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);
  EXPECT_EQ(c.series[0].slices.size(), 3u);
  ASSERT_EQ(c.skipped.size(), 3u);
  for (const auto& s : c.skipped) EXPECT_NE(s.reason.find("Samples per Pixel is"), std::string::npos) << s.reason;
}

namespace {

// A real slice as JPEG Lossless (SV1) whose code stream is cut to `keep` of its length, the fragment's length
// fixed up to match: a file that is consistent as DICOM and only its image is incomplete.
fs::path truncatedJpegLossless(const fs::path& dir, double keep) {
  const auto files = realSlices(dir, 1);
  const fs::path jpeg = dir / "jpeg-ll.dcm";
  test::transcode(files[0], jpeg, gdcm::TransferSyntax::JPEGLosslessProcess14_1);
  fs::remove(files[0]);
  test::editDicom(jpeg, [keep](gdcm::DataSet& ds) {
    gdcm::DataElement pixels = ds.GetDataElement(gdcm::Tag(0x7fe0, 0x0010));
    const gdcm::SequenceOfFragments* fragments = pixels.GetSequenceOfFragments();
    ASSERT_TRUE(fragments);
    std::string stream;
    for (unsigned i = 0; i < fragments->GetNumberOfFragments(); ++i) {
      const gdcm::ByteValue* bv = fragments->GetFragment(i).GetByteValue();
      stream.append(bv->GetPointer(), bv->GetLength());
    }
    stream.resize(static_cast<std::size_t>(static_cast<double>(stream.size()) * keep) & ~std::size_t(1));
    gdcm::SmartPointer<gdcm::SequenceOfFragments> cut = new gdcm::SequenceOfFragments;
    gdcm::Fragment fragment;
    fragment.SetByteValue(stream.data(), static_cast<std::uint32_t>(stream.size()));
    cut->AddFragment(fragment);
    pixels.SetValue(*cut);
    ds.Replace(pixels);
  });
  return jpeg;
}

}  // namespace

TEST(DicomTruncation, ACutJpegLosslessStreamIsAnErrorNotAGreyImage) {
  const fs::path dir = test::scratchDir("jpeg-cut");
  const fs::path jpeg = truncatedJpegLossless(dir, 0.6);
  const auto c = core::dicom::scan(dir);
  ASSERT_EQ(c.series.size(), 1u);  // the header is fine: the slice is listed, and decoding it says what is wrong
  std::vector<std::int16_t> hu(512 * 512);
  try {
    core::dicom::decodeSliceHu(c.series[0].slices[0], 512, 512, hu.data());
    FAIL() << "a truncated JPEG Lossless image decoded without an error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("incomplete image"), std::string::npos) << e.what();
  }
}

TEST(DicomTruncation, ACutFileIsAnErrorForThatSlice) {
  const fs::path dir = test::scratchDir("file-cut");
  const auto files = realSlices(dir, 1);
  const fs::path jpeg = dir / "jpeg-ll.dcm";
  test::transcode(files[0], jpeg, gdcm::TransferSyntax::JPEGLosslessProcess14_1);
  const std::string bytes = bytesOf(jpeg);
  writeBytes(jpeg, bytes.substr(0, bytes.size() * 7 / 10));
  std::vector<std::int16_t> hu(512 * 512);
  EXPECT_THROW(core::dicom::decodeSliceHu(jpeg.string(), 0, 512, 512, hu.data()), core::InputError);
}

TEST(DicomFallback, AJpegLsFileGdcmRefusesIsDecodedByDcmtk) {
  // pydicom's lossless JPEG-LS MR slice with the SOF55 sampling factors set to 0 (H1 = V1 = 0): meaningless for
  // one component and ignored by DCMTK's CharLS, refused by the CharLS 2 that GDCM uses.
  const fs::path original = test::pydicomTestFiles() / "MR_small_jpeg_ls_lossless.dcm";
  const fs::path dir = test::scratchDir("jpeg-ls-fallback");
  const fs::path file = dir / "mr-jls.dcm";
  std::string bytes = bytesOf(original);
  const auto sof = bytes.find(std::string("\xff\xf7\x00\x0b", 4));
  ASSERT_NE(sof, std::string::npos);
  ASSERT_EQ(bytes[sof + 11], '\x11');
  bytes[sof + 11] = '\x00';
  writeBytes(file, bytes);

  const auto header = core::dicom::readFileHeader(file);
  ASSERT_TRUE(header.header) << header.error;
  const int rows = header.header->rows, cols = header.header->cols;
  std::vector<std::int16_t> hu(static_cast<std::size_t>(rows) * cols);
  ASSERT_NO_THROW(core::dicom::decodeSliceHu(file.string(), 0, rows, cols, hu.data()));
  // Lossless: exactly the pixels GDCM decodes from the intact file.
  const auto reference = test::referenceHu(original);
  ASSERT_EQ(reference.size(), hu.size());
  for (std::size_t i = 0; i < hu.size(); ++i) ASSERT_EQ(hu[i], static_cast<std::int16_t>(std::lround(reference[i]))) << i;
}
