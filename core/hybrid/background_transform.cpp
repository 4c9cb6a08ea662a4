#include "core/hybrid/background_transform.h"

#include <itkAffineTransform.h>
#include <itkLinearInterpolateImageFunction.h>
#include <itkRecursiveGaussianImageFilter.h>
#include <itkResampleImageFilter.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/lung/itk_bridge.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace {

using FloatImage = lung::FloatImage;
using HuImage = lung::HuImage;

// The geometry after the field-of-view change: the same matrix about the same centre in the patient.
volume::Geometry transformedGeometry(const volume::Geometry& g, double fov_scale) {
  volume::Geometry out = g;
  for (int axis = 0; axis < 2; ++axis) out.spacing_mm[axis] = g.spacing_mm[axis] * fov_scale;
  const double dx = 0.5 * (g.cols - 1) * (g.spacing_mm[0] - out.spacing_mm[0]);
  const double dy = 0.5 * (g.rows - 1) * (g.spacing_mm[1] - out.spacing_mm[1]);
  for (int i = 0; i < 3; ++i) out.origin_mm[i] = g.origin_mm[i] + dx * g.row_dir[i] + dy * g.col_dir[i];
  return out;
}

// Mirror, rotation about the image centre and shift in one resampling (ITK's ResampleImageFilter maps each output
// point to the input point it shows: p -> C + M (p - s - C), M = rotation x mirror), linear interpolation, air
// outside; the output grid is `out` (its spacing, its origin relative to the input's). With no rotation and no
// field-of-view change the points fall on voxel centres, so values are copied exactly.
FloatImage::Pointer moveContent(const volume::Volume& in, const volume::Geometry& out, const BackgroundTransform& t) {
  const HuImage::Pointer image = lung::wrapVolume(in);
  const volume::Geometry& g = in.geometry();
  using Transform = itk::AffineTransform<double, 3>;
  auto transform = Transform::New();
  Transform::InputPointType centre;
  centre[0] = 0.5 * (g.cols - 1) * g.spacing_mm[0];
  centre[1] = 0.5 * (g.rows - 1) * g.spacing_mm[1];
  centre[2] = 0;
  transform->SetCenter(centre);
  const double a = t.rotation_deg * M_PI / 180.0, mirror = t.flip_left_right ? -1.0 : 1.0;
  Transform::MatrixType m;
  m.SetIdentity();
  m(0, 0) = std::cos(a) * mirror, m(0, 1) = -std::sin(a);
  m(1, 0) = std::sin(a) * mirror, m(1, 1) = std::cos(a);
  transform->SetMatrix(m);
  Transform::OutputVectorType shift;
  shift[0] = std::lround(t.shift_mm[0] / g.spacing_mm[0]) * g.spacing_mm[0];
  shift[1] = std::lround(t.shift_mm[1] / g.spacing_mm[1]) * g.spacing_mm[1];
  shift[2] = 0;
  transform->SetTranslation(-(m * shift));

  auto resample = itk::ResampleImageFilter<HuImage, FloatImage>::New();
  resample->SetInput(image);
  resample->SetTransform(transform);
  resample->SetInterpolator(itk::LinearInterpolateImageFunction<HuImage, double>::New());
  resample->SetOutputParametersFromImage(image);
  FloatImage::SpacingType spacing = image->GetSpacing();
  FloatImage::PointType origin = image->GetOrigin();
  for (int axis = 0; axis < 2; ++axis) {
    spacing[axis] = out.spacing_mm[axis];
    origin[axis] = 0.5 * ((axis == 0 ? g.cols : g.rows) - 1) * (g.spacing_mm[axis] - out.spacing_mm[axis]);
  }
  resample->SetOutputSpacing(spacing);
  resample->SetOutputOrigin(origin);
  resample->SetDefaultPixelValue(-1000.0f);
  resample->Update();
  return resample->GetOutput();
}

// In-plane Gaussian of one pixel (the kernel change's low-pass), ITK's recursive Gaussian along x then y.
FloatImage::Pointer blurInPlane(const FloatImage::Pointer& image, const volume::Geometry& g) {
  using Gaussian = itk::RecursiveGaussianImageFilter<FloatImage, FloatImage>;
  auto x = Gaussian::New(), y = Gaussian::New();
  x->SetInput(image);
  x->SetDirection(0);
  x->SetSigma(g.spacing_mm[0]);
  y->SetInput(x->GetOutput());
  y->SetDirection(1);
  y->SetSigma(g.spacing_mm[1]);
  y->Update();
  return y->GetOutput();
}

}  // namespace

std::string BackgroundTransform::canonical() const {
  std::ostringstream s;
  s << "flip=" << flip_left_right << ",dx=" << std::lround(shift_mm[0] * 10) << ",dy=" << std::lround(shift_mm[1] * 10)
    << ",noise=" << std::lround(extra_noise_hu * 10);
  // Only what differs from the untransformed background, so subjects made before these existed keep their UIDs.
  if (rotation_deg != 0) s << ",rot=" << std::lround(rotation_deg * 10);
  if (fov_scale != 1.0) s << ",fov=" << std::lround(fov_scale * 1000);
  if (slab_slices > 1) s << ",slab=" << slab_slices;
  if (sharpen != 0) s << ",sharpen=" << std::lround(sharpen * 100);
  if (hu_scale != 1.0 || hu_offset != 0)
    s << ",hu=" << std::lround(hu_scale * 1000) << "/" << std::lround(hu_offset * 10);
  return s.str();
}

double BackgroundTransform::thickness_mm(double background_thickness_mm, double spacing_mm) const {
  return background_thickness_mm + std::max(0, slab_slices - 1) * spacing_mm;
}

std::shared_ptr<volume::Volume> transformBackground(const volume::Volume& in, const BackgroundTransform& t,
                                                    std::uint64_t seed) {
  const volume::Geometry g = transformedGeometry(in.geometry(), t.fov_scale);
  FloatImage::Pointer moved = moveContent(in, g, t);
  const FloatImage::Pointer low = t.sharpen != 0 ? blurInPlane(moved, g) : nullptr;
  const float* v = moved->GetBufferPointer();
  const float* blurred = low ? low->GetBufferPointer() : nullptr;
  const std::size_t n = g.voxelsPerSlice();

  std::vector<double> positions(static_cast<std::size_t>(g.slices));
  for (int k = 0; k < g.slices; ++k) positions[static_cast<std::size_t>(k)] = in.slicePosition_mm(k);
  auto out = std::make_shared<volume::Volume>(g, positions);
  const int slab = std::max(1, t.slab_slices);
  for (int k = 0; k < g.slices; ++k) {
    std::int16_t* dst = out->mutableSlice(k);
    phantom::Rng rng = phantom::Rng(seed).fork("hybrid-noise-" + std::to_string(k));
    // The slab around k (clamped at the ends): k - (slab - 1) / 2 ... k + slab / 2.
    const int k0 = std::max(0, k - (slab - 1) / 2), k1 = std::min(g.slices - 1, k + slab / 2);
    for (std::size_t i = 0; i < n; ++i) {
      double value = 0;
      for (int s = k0; s <= k1; ++s) {
        const std::size_t at = static_cast<std::size_t>(s) * n + i;
        value += blurred ? v[at] + t.sharpen * (v[at] - blurred[at]) : v[at];
      }
      value = value / (k1 - k0 + 1) * t.hu_scale + t.hu_offset;
      if (t.extra_noise_hu > 0) value += t.extra_noise_hu * rng.normal();
      dst[i] = static_cast<std::int16_t>(std::clamp(std::lround(value), -1024L, 3071L));
    }
    out->markSliceReady(k);
  }
  return out;
}

}  // namespace lunglens::core::hybrid
