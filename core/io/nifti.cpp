#include "core/io/nifti.h"

#include <cmath>
#include <cstring>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/io/gzip.h"

namespace lunglens::core::io {

namespace {

constexpr int kHeaderBytes = 348;
constexpr int kVoxOffset = 352;  // header + 4-byte extension flag

template <class T>
void put(std::string& h, std::size_t off, T v) {
  std::memcpy(&h[off], &v, sizeof v);
}
template <class T>
T get(const std::string& h, std::size_t off) {
  T v;
  std::memcpy(&v, &h[off], sizeof v);
  return v;
}

// Quaternion (b, c, d), qfac of the rotation part of the affine (as nifti1_io's nifti_mat44_to_quatern).
void quaternion(const std::array<std::array<double, 4>, 3>& a, double q[3], double& qfac) {
  double r[3][3];
  for (int c = 0; c < 3; ++c) {
    const double len = std::sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
    for (int row = 0; row < 3; ++row) r[row][c] = len > 0 ? a[row][c] / len : (row == c);
  }
  const double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) - r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
                     r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
  qfac = det < 0 ? -1.0 : 1.0;
  if (det < 0)
    for (int row = 0; row < 3; ++row) r[row][2] = -r[row][2];
  double w = 1.0 + r[0][0] + r[1][1] + r[2][2], b, c, d;
  if (w > 0.5) {
    const double s = 0.5 * std::sqrt(w);
    b = 0.25 * (r[2][1] - r[1][2]) / s, c = 0.25 * (r[0][2] - r[2][0]) / s, d = 0.25 * (r[1][0] - r[0][1]) / s;
    w = s;
  } else {
    const double xd = 1.0 + r[0][0] - (r[1][1] + r[2][2]), yd = 1.0 + r[1][1] - (r[0][0] + r[2][2]),
                 zd = 1.0 + r[2][2] - (r[0][0] + r[1][1]);
    if (xd > 1.0) {
      b = 0.5 * std::sqrt(xd), c = 0.25 * (r[0][1] + r[1][0]) / b, d = 0.25 * (r[0][2] + r[2][0]) / b,
      w = 0.25 * (r[2][1] - r[1][2]) / b;
    } else if (yd > 1.0) {
      c = 0.5 * std::sqrt(yd), b = 0.25 * (r[0][1] + r[1][0]) / c, d = 0.25 * (r[1][2] + r[2][1]) / c,
      w = 0.25 * (r[0][2] - r[2][0]) / c;
    } else {
      d = 0.5 * std::sqrt(zd), b = 0.25 * (r[0][2] + r[2][0]) / d, c = 0.25 * (r[1][2] + r[2][1]) / d,
      w = 0.25 * (r[1][0] - r[0][1]) / d;
    }
    if (w < 0) b = -b, c = -c, d = -d;
  }
  q[0] = b, q[1] = c, q[2] = d;
}

}  // namespace

int bytesPerVoxel(NiftiType type) {
  switch (type) {
    case NiftiType::UInt8: return 1;
    case NiftiType::Int16: return 2;
    case NiftiType::Float32: return 4;
    case NiftiType::Int8: return 1;
    case NiftiType::UInt16: return 2;
    case NiftiType::Int32: return 4;
    case NiftiType::Float64: return 8;
  }
  return 0;
}

std::array<std::array<double, 4>, 3> affineFromLps(const std::array<double, 3>& origin_lps,
                                                   const std::array<double, 3>& row_dir,
                                                   const std::array<double, 3>& col_dir,
                                                   const std::array<double, 3>& normal,
                                                   const std::array<double, 3>& spacing_mm) {
  std::array<std::array<double, 4>, 3> a{};
  const double flip[3] = {-1, -1, 1};  // LPS -> RAS
  for (int r = 0; r < 3; ++r) {
    a[r][0] = flip[r] * row_dir[r] * spacing_mm[0];
    a[r][1] = flip[r] * col_dir[r] * spacing_mm[1];
    a[r][2] = flip[r] * normal[r] * spacing_mm[2];
    a[r][3] = flip[r] * origin_lps[r];
  }
  return a;
}

void writeNifti(const std::filesystem::path& path, const NiftiVolume& v, int threads) {
  const std::size_t payload = v.voxelCount() * static_cast<std::size_t>(bytesPerVoxel(v.type));
  if (v.data.size() != payload) throw InternalError("writeNifti: data size does not match dims and type");
  std::string h(kVoxOffset, '\0');
  put<std::int32_t>(h, 0, kHeaderBytes);
  put<std::int16_t>(h, 40, 3);
  for (int i = 0; i < 3; ++i) put<std::int16_t>(h, 42 + 2 * i, static_cast<std::int16_t>(v.dims[i]));
  for (int i = 3; i < 7; ++i) put<std::int16_t>(h, 42 + 2 * i, 1);
  put<std::int16_t>(h, 70, static_cast<std::int16_t>(v.type));
  put<std::int16_t>(h, 72, static_cast<std::int16_t>(8 * bytesPerVoxel(v.type)));
  double q[3], qfac;
  quaternion(v.affine, q, qfac);
  put<float>(h, 76, static_cast<float>(qfac));
  for (int i = 0; i < 3; ++i) put<float>(h, 80 + 4 * i, static_cast<float>(v.spacing_mm[i]));
  put<float>(h, 108, static_cast<float>(kVoxOffset));
  put<float>(h, 112, 1.0f);
  put<char>(h, 123, 2);  // xyzt_units: millimetres
  std::strncpy(&h[148], v.description.c_str(), 79);
  put<std::int16_t>(h, 252, 1);  // qform_code: scanner anatomical
  put<std::int16_t>(h, 254, 1);  // sform_code
  for (int i = 0; i < 3; ++i) put<float>(h, 256 + 4 * i, static_cast<float>(q[i]));
  for (int i = 0; i < 3; ++i) put<float>(h, 268 + 4 * i, static_cast<float>(v.affine[i][3]));
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) put<float>(h, 280 + 16 * r + 4 * c, static_cast<float>(v.affine[r][c]));
  std::memcpy(&h[344], "n+1\0", 4);
  std::string bytes = h + v.data;
  const std::string name = path.filename().string();
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) bytes = gzipCompress(bytes, 3, threads);
  writeFileAtomically(path, bytes, true);
}

NiftiVolume readNifti(const std::filesystem::path& path) {
  const std::string bytes = readMaybeGzipped(path);
  if (bytes.size() < kHeaderBytes || get<std::int32_t>(bytes, 0) != kHeaderBytes)
    throw InputError(path.string(), "not a NIfTI-1 file (header size)");
  if (std::memcmp(&bytes[344], "n+1", 3) != 0) throw InputError(path.string(), "not a single-file NIfTI-1 (magic)");
  NiftiVolume v;
  const int ndim = get<std::int16_t>(bytes, 40);
  if (ndim < 1 || ndim > 7) throw InputError(path.string(), "bad dimension count");
  for (int i = 0; i < 3; ++i) v.dims[i] = i < ndim ? get<std::int16_t>(bytes, 42 + 2 * i) : 1;
  for (int i = 3; i < ndim; ++i)
    if (get<std::int16_t>(bytes, 42 + 2 * i) > 1) throw InputError(path.string(), "only 3D volumes are supported");
  const auto type = get<std::int16_t>(bytes, 70);
  if (type != 2 && type != 4 && type != 8 && type != 16 && type != 64 && type != 256 && type != 512)
    throw InputError(path.string(), "unsupported datatype " + std::to_string(type));
  v.type = static_cast<NiftiType>(type);
  for (int i = 0; i < 3; ++i) v.spacing_mm[i] = get<float>(bytes, 80 + 4 * i);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 4; ++c) v.affine[r][c] = get<float>(bytes, 280 + 16 * r + 4 * c);
  v.description.assign(&bytes[148], strnlen(&bytes[148], 80));
  const float slope = get<float>(bytes, 112), inter = get<float>(bytes, 116);
  if (std::isfinite(slope) && slope != 0.0f) v.scl_slope = slope, v.scl_inter = std::isfinite(inter) ? inter : 0.0;
  const auto offset = static_cast<std::size_t>(get<float>(bytes, 108));
  const std::size_t payload = v.voxelCount() * static_cast<std::size_t>(bytesPerVoxel(v.type));
  if (offset < kHeaderBytes || bytes.size() < offset + payload)
    throw InputError(path.string(), "file is shorter than its header says");
  v.data = bytes.substr(offset, payload);
  return v;
}

}  // namespace lunglens::core::io
