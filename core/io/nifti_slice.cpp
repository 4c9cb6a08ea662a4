#include "core/io/nifti_slice.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "core/common/error.h"

namespace lunglens::core::io {

namespace {

template <class T>
double at(const std::string& data, std::size_t index) {
  T v;
  std::memcpy(&v, data.data() + index * sizeof(T), sizeof(T));
  return static_cast<double>(v);
}

double voxel(const NiftiVolume& v, std::size_t index) {
  switch (v.type) {
    case NiftiType::UInt8: return at<std::uint8_t>(v.data, index);
    case NiftiType::Int8: return at<std::int8_t>(v.data, index);
    case NiftiType::Int16: return at<std::int16_t>(v.data, index);
    case NiftiType::UInt16: return at<std::uint16_t>(v.data, index);
    case NiftiType::Int32: return at<std::int32_t>(v.data, index);
    case NiftiType::Float32: return at<float>(v.data, index);
    case NiftiType::Float64: return at<double>(v.data, index);
  }
  return 0.0;
}

}  // namespace

SliceLayout sliceLayout(const NiftiVolume& v) {
  SliceLayout layout;
  const auto& a = v.affine;  // RAS: +x right, +y anterior. Display wants columns -> left (-x), rows -> posterior (-y).
  const double ix = a[0][0], iy = a[1][0], jx = a[0][1], jy = a[1][1];
  layout.transpose = std::abs(iy) + std::abs(jx) > std::abs(ix) + std::abs(jy);
  const double col_x = layout.transpose ? jx : ix;  // the stored axis that becomes display columns, its x part
  const double row_y = layout.transpose ? iy : jy;
  layout.flip_cols = col_x > 0;  // runs towards the right: mirror
  layout.flip_rows = row_y > 0;  // runs anterior: mirror
  layout.cols = layout.transpose ? v.dims[1] : v.dims[0];
  layout.rows = layout.transpose ? v.dims[0] : v.dims[1];
  return layout;
}

std::vector<std::int16_t> niftiSlice(const NiftiVolume& v, int k, const SliceLayout& layout) {
  if (k < 0 || k >= v.dims[2]) throw InputError("NIfTI slice", std::to_string(k) + " outside 0.." +
                                                                   std::to_string(v.dims[2] - 1));
  const std::size_t ni = static_cast<std::size_t>(v.dims[0]), nj = static_cast<std::size_t>(v.dims[1]);
  const std::size_t base = static_cast<std::size_t>(k) * ni * nj;
  std::vector<std::int16_t> out(static_cast<std::size_t>(layout.rows) * static_cast<std::size_t>(layout.cols));
  for (int r = 0; r < layout.rows; ++r) {
    const int rr = layout.flip_rows ? layout.rows - 1 - r : r;
    for (int c = 0; c < layout.cols; ++c) {
      const int cc = layout.flip_cols ? layout.cols - 1 - c : c;
      const std::size_t i = static_cast<std::size_t>(layout.transpose ? rr : cc);
      const std::size_t j = static_cast<std::size_t>(layout.transpose ? cc : rr);
      const double value = v.scl_slope * voxel(v, base + j * ni + i) + v.scl_inter;
      out[static_cast<std::size_t>(r) * layout.cols + c] =
          static_cast<std::int16_t>(std::clamp(std::lround(value), -32768L, 32767L));
    }
  }
  return out;
}

}  // namespace lunglens::core::io
