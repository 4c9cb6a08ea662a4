#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "core/common/error.h"
#include "core/io/gzip.h"
#include "core/io/nifti.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::io {
namespace {

NiftiVolume labelVolume() {
  NiftiVolume v;
  v.dims = {7, 5, 3};
  v.spacing_mm = {0.7, 0.7, 2.5};
  v.affine = affineFromLps({-100.0, -80.0, -200.0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.7, 0.7, 2.5});
  v.type = NiftiType::UInt8;
  v.description = "test labels";
  v.data.resize(v.voxelCount());
  for (std::size_t i = 0; i < v.data.size(); ++i) v.data[i] = static_cast<char>(i % 11);
  return v;
}

TEST(Nifti, LpsGeometryBecomesRasAffine) {
  const auto a = affineFromLps({-100.0, -80.0, -200.0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.7, 0.6, 2.5});
  // x and y flip sign (LPS -> RAS), z does not.
  EXPECT_DOUBLE_EQ(a[0][0], -0.7);
  EXPECT_DOUBLE_EQ(a[1][1], -0.6);
  EXPECT_DOUBLE_EQ(a[2][2], 2.5);
  EXPECT_DOUBLE_EQ(a[0][3], 100.0);
  EXPECT_DOUBLE_EQ(a[1][3], 80.0);
  EXPECT_DOUBLE_EQ(a[2][3], -200.0);
}

TEST(Nifti, CompressedRoundTripKeepsVoxelsAndGeometry) {
  const auto dir = test::scratchDir("nifti");
  const NiftiVolume v = labelVolume();
  writeNifti(dir / "labels.nii.gz", v);
  const NiftiVolume r = readNifti(dir / "labels.nii.gz");
  EXPECT_EQ(r.dims, v.dims);
  EXPECT_EQ(r.type, NiftiType::UInt8);
  EXPECT_EQ(r.data, v.data);
  EXPECT_EQ(r.description, "test labels");
  for (int row = 0; row < 3; ++row)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(r.affine[row][c], v.affine[row][c], 1e-4);
  // The file really is gzip and its header is standard NIfTI-1 (348 bytes, magic n+1, qform/sform set).
  const std::string raw = readMaybeGzipped(dir / "labels.nii.gz");
  ASSERT_GE(raw.size(), 352u + v.data.size());
  EXPECT_EQ(raw.compare(344, 3, "n+1"), 0);
  std::int16_t qform = 0, sform = 0;
  std::memcpy(&qform, &raw[252], 2);
  std::memcpy(&sform, &raw[254], 2);
  EXPECT_EQ(qform, 1);
  EXPECT_EQ(sform, 1);
}

TEST(Nifti, Int16PlainFileRoundTrips) {
  const auto dir = test::scratchDir("nifti");
  NiftiVolume v = labelVolume();
  v.type = NiftiType::Int16;
  v.data.assign(v.voxelCount() * 2, '\0');
  for (std::size_t i = 0; i < v.voxelCount(); ++i) {
    const std::int16_t hu = static_cast<std::int16_t>(-1000 + static_cast<int>(i) * 13);
    std::memcpy(&v.data[2 * i], &hu, 2);
  }
  writeNifti(dir / "ct.nii", v);
  EXPECT_EQ(readNifti(dir / "ct.nii").data, v.data);
}

TEST(Nifti, RejectsFilesThatAreNotNifti) {
  const auto dir = test::scratchDir("nifti");
  std::ofstream(dir / "junk.nii") << std::string(400, 'x');
  EXPECT_THROW(readNifti(dir / "junk.nii"), InputError);
  NiftiVolume v = labelVolume();
  writeNifti(dir / "short.nii", v);
  std::filesystem::resize_file(dir / "short.nii", 360);  // header intact, voxels cut off
  EXPECT_THROW(readNifti(dir / "short.nii"), InputError);
  v.data.pop_back();
  EXPECT_THROW(writeNifti(dir / "bad.nii", v), InternalError);
}

}  // namespace
}  // namespace lunglens::core::io
