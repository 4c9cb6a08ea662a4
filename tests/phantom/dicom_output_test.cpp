// The DICOM series as written: pixel data, identifying and geometry tags, determinism, and an independent IOD check.
#include <gtest/gtest.h>

#include <gdcmImageReader.h>
#include <gdcmReader.h>
#include <gdcmStringFilter.h>

#include <array>
#include <cstdio>
#include <string>

#include <unistd.h>
#include <fstream>
#include <iterator>

#include "core/phantom/dicom_writer.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"
#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

std::string tag(const std::filesystem::path& file, std::uint16_t g, std::uint16_t e) {
  gdcm::Reader r;
  r.SetFileName(file.string().c_str());
  if (!r.Read()) return "<unreadable>";
  gdcm::StringFilter sf;
  sf.SetFile(r.GetFile());
  std::string v = sf.ToString(gdcm::Tag(g, e));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.pop_back();
  return v;
}

std::string bytesOf(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class PhantomDicom : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PhantomParams p = test::quickParams(31, Diagnosis::Covid);
    p.slices = 12;
    phantom_ = &test::cachedPhantom(p);
    // One folder per process: ctest runs the suite's tests in parallel processes, each with its own set-up.
    dir_ = new std::filesystem::path(test::binaryDir() / "test-scratch" /
                                     ("phantom-dicom-suite-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    writePhantomStudy(*phantom_, *dir_);
  }
  static const Phantom* phantom_;
  static std::filesystem::path* dir_;
};
const Phantom* PhantomDicom::phantom_ = nullptr;
std::filesystem::path* PhantomDicom::dir_ = nullptr;

TEST_F(PhantomDicom, PixelDataHoldsTheVolumeInHounsfieldUnits) {
  const auto& g = phantom_->layout.geometry;
  for (int k : {0, g.slices / 2, g.slices - 1}) {
    gdcm::ImageReader r;
    const auto file = *dir_ / kSeriesFolder / sliceFileName(k);
    r.SetFileName(file.string().c_str());
    ASSERT_TRUE(r.Read()) << file;
    const gdcm::Image& img = r.GetImage();
    ASSERT_EQ(img.GetDimension(0), static_cast<unsigned>(g.cols));
    ASSERT_EQ(img.GetDimension(1), static_cast<unsigned>(g.rows));
    EXPECT_DOUBLE_EQ(img.GetIntercept(), -1024.0);
    EXPECT_DOUBLE_EQ(img.GetSlope(), 1.0);
    std::vector<char> buf(img.GetBufferLength());
    ASSERT_TRUE(img.GetBuffer(buf.data()));
    const auto* stored = reinterpret_cast<const std::uint16_t*>(buf.data());
    const std::int16_t* hu = phantom_->volume->slice(k);
    for (std::size_t i = 0; i < g.voxelsPerSlice(); ++i) ASSERT_EQ(static_cast<int>(stored[i]) - 1024, hu[i]) << i;
    // Geometry: position of the first voxel, orientation, spacing.
    const double* origin = img.GetOrigin();
    const auto expect = g.voxelToPatient(0, 0, k);
    for (int a = 0; a < 3; ++a) EXPECT_NEAR(origin[a], expect[a], 1e-3);
    EXPECT_NEAR(img.GetSpacing(0), g.spacing_mm[0], 1e-6);
  }
}

TEST_F(PhantomDicom, HeaderSaysSyntheticWithFixedDatesAndDerivedUids) {
  const auto file = *dir_ / kSeriesFolder / sliceFileName(3);
  EXPECT_EQ(tag(file, 0x0008, 0x0016), "1.2.840.10008.5.1.4.1.1.2");  // CT Image Storage
  EXPECT_EQ(tag(file, 0x0008, 0x0060), "CT");
  EXPECT_EQ(tag(file, 0x0010, 0x0010).rfind("PHANTOM^", 0), 0u);
  EXPECT_NE(tag(file, 0x0008, 0x103E).find("SYNTHETIC"), std::string::npos);
  EXPECT_NE(tag(file, 0x0020, 0x4000).find("Synthetic"), std::string::npos);
  EXPECT_EQ(tag(file, 0x0008, 0x0020), "20200315");
  EXPECT_EQ(tag(file, 0x0008, 0x0030), "120000");
  EXPECT_EQ(tag(file, 0x0020, 0x000E), seriesIds(*phantom_).series_uid);
  EXPECT_EQ(tag(file, 0x0020, 0x000E).rfind("2.25.", 0), 0u);
  EXPECT_EQ(tag(file, 0x0028, 0x1050), "-600\\40");
  EXPECT_EQ(tag(file, 0x0028, 0x1051), "1500\\350");
  EXPECT_EQ(tag(file, 0x0020, 0x0013), "4");
  EXPECT_NE(tag(file, 0x0008, 0x0018), tag(*dir_ / kSeriesFolder / sliceFileName(4), 0x0008, 0x0018));
}

TEST_F(PhantomDicom, RegenerationGivesByteIdenticalFiles) {
  PhantomParams p = phantom_->params;
  p.threads = 1;
  const Phantom again = generatePhantom(p);
  const auto other = test::scratchDir("phantom-dicom-again");
  writePhantomStudy(again, other);
  for (int k : {0, 7})
    EXPECT_EQ(bytesOf(*dir_ / kSeriesFolder / sliceFileName(k)), bytesOf(other / kSeriesFolder / sliceFileName(k)));
  EXPECT_EQ(bytesOf(*dir_ / kLabelsFile), bytesOf(other / kLabelsFile));
  EXPECT_EQ(bytesOf(*dir_ / kTruthFile), bytesOf(other / kTruthFile));
}

TEST_F(PhantomDicom, IndependentValidatorFindsNoErrors) {
  if (std::system("command -v dciodvfy >/dev/null 2>&1") != 0) GTEST_SKIP() << "dciodvfy (dicom3tools) not installed";
  const auto file = *dir_ / kSeriesFolder / sliceFileName(5);
  const std::string cmd = "dciodvfy '" + file.string() + "' 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  pclose(pipe);
  EXPECT_NE(out.find("CTImage"), std::string::npos) << out;
  EXPECT_EQ(out.find("Error"), std::string::npos) << out;
  EXPECT_EQ(out.find("Warning"), std::string::npos) << out;
}

}  // namespace
}  // namespace lunglens::core::phantom
