#include "core/hybrid/insert_findings.h"

#include <algorithm>
#include <cmath>

#include <itkImage.h>
#include <itkSmoothingRecursiveGaussianImageFilter.h>

#include "core/common/parallel.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace ph = phantom;

namespace {

using Slice2D = itk::Image<float, 2>;

inline float mix(float a, float b, float t) { return a + (b - a) * t; }

// The slice's smooth component (Gaussian, sigma in mm): what the lesions replace; the rest is the scanner's noise.
std::vector<float> smoothSlice(const std::int16_t* hu, const volume::Geometry& g, double sigma_mm) {
  auto image = Slice2D::New();
  Slice2D::RegionType region;
  region.SetSize({static_cast<itk::SizeValueType>(g.cols), static_cast<itk::SizeValueType>(g.rows)});
  image->SetRegions(region);
  const double spacing[2] = {g.spacing_mm[0], g.spacing_mm[1]};
  image->SetSpacing(spacing);
  image->Allocate();
  float* p = image->GetBufferPointer();
  for (std::size_t i = 0; i < g.voxelsPerSlice(); ++i) p[i] = hu[i];
  auto smooth = itk::SmoothingRecursiveGaussianImageFilter<Slice2D, Slice2D>::New();
  smooth->SetInput(image);
  smooth->SetSigma(sigma_mm);
  smooth->SetNumberOfWorkUnits(1);  // slices run in parallel already
  smooth->Update();
  const float* s = smooth->GetOutput()->GetBufferPointer();
  return std::vector<float>(s, s + g.voxelsPerSlice());
}

// Per-pixel lesion buffers of one plane (and, summed, of one slice's thickness).
struct Plane {
  std::vector<float> ggo, crazy, dense, dense_hu, air;
  // Zero-filled, n pixels; reuses the storage of earlier slices (a worker keeps its planes: no page faults).
  void reset(std::size_t n) {
    for (auto* v : {&ggo, &crazy, &dense, &dense_hu, &air}) v->assign(n, 0.0f);
  }
};

class SliceSplatter {
 public:
  SliceSplatter(const MaskLungGeometry& lungs, const ph::Findings& f, int k) : lungs_(lungs), f_(f), k_(k) {
    const auto& g = lungs.mask().geometry;
    cols_ = g.cols, rows_ = g.rows;
    px_ = std::min(g.spacing_mm[0], g.spacing_mm[1]);
    origin_ = lungs.voxelPoint(0, 0, k);
    sx_ = g.spacing_mm[0], sy_ = g.spacing_mm[1];
  }

  // Splats every lesion at height z into `p`; with `labels`, also the centre plane's labels.
  void splat(double z, Plane& p, std::uint8_t* labels) const {
    for (const ph::Blob& b : f_.blobs) blob(b, z, p, labels);
    for (const ph::LesionTube& t : f_.tubes) tube(t, z, p, labels);
    for (const ph::Tube& t : f_.bronchograms) bronchogram(t, z, p);
  }

 private:
  bool lung(int i, int j) const { return lungs_.zoneAt(i, j, k_) != lung::Zone::None; }
  ph::V3 point(int i, int j, double z) const { return {origin_.x + i * sx_, origin_.y + j * sy_, z}; }
  void range(double cx, double cy, double reach, int& i0, int& i1, int& j0, int& j1) const {
    i0 = std::max(0, static_cast<int>(std::floor((cx - reach - origin_.x) / sx_)));
    i1 = std::min(cols_ - 1, static_cast<int>(std::ceil((cx + reach - origin_.x) / sx_)));
    j0 = std::max(0, static_cast<int>(std::floor((cy - reach - origin_.y) / sy_)));
    j1 = std::min(rows_ - 1, static_cast<int>(std::ceil((cy + reach - origin_.y) / sy_)));
  }
  void setLabel(std::uint8_t* labels, std::size_t idx, ph::Finding f) const {
    if (labels && ph::labelPriority(static_cast<std::uint8_t>(f)) > ph::labelPriority(labels[idx]))
      labels[idx] = static_cast<std::uint8_t>(f);
  }

  void blob(const ph::Blob& b, double z, Plane& p, std::uint8_t* labels) const {
    const double grow = 1.0 + b.noise_amp * 0.5 + b.edge;
    const double reach_z = grow / std::max(std::abs(b.inv[2][2]), 1e-9);
    const double dzn = (z - b.centre.z) / reach_z;
    if (std::abs(dzn) >= 1.0) return;
    int i0, i1, j0, j1;
    range(b.centre.x, b.centre.y, b.reach_mm * grow * std::sqrt(1.0 - dzn * dzn), i0, i1, j0, j1);
    const bool ggo_like = b.type == ph::Finding::Ggo || b.type == ph::Finding::CrazyPaving;
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) {
        if (!lung(i, j)) continue;
        const ph::V3 q = point(i, j, z);
        const double n = ph::lesionNoise(q, lungs_.textureSeed());
        const double w = ph::blobWeight(b, q, n);
        if (w <= 0.0) continue;
        if (b.lobe != ph::Lobe::None && lungs_.lobeAt(q) != b.lobe) continue;  // the zone border is the fissure
        const std::size_t idx = static_cast<std::size_t>(j) * cols_ + i;
        if (ggo_like) {
          p.ggo[idx] = std::max(p.ggo[idx], static_cast<float>(w * b.opacity));
          if (b.type == ph::Finding::CrazyPaving) p.crazy[idx] = std::max(p.crazy[idx], static_cast<float>(w));
        } else if (w * b.opacity > p.dense[idx]) {
          p.dense[idx] = static_cast<float>(w * b.opacity);
          p.dense_hu[idx] = static_cast<float>(b.target_hu);
        }
        if (b.inner > 0) p.air[idx] = std::max(p.air[idx], static_cast<float>(ph::blobAirWeight(b, q, n)));
        if (w > 0.5) setLabel(labels, idx, b.type);
      }
  }

  void tube(const ph::LesionTube& t, double z, Plane& p, std::uint8_t* labels) const {
    const double r = std::max(t.tube.ra, t.tube.rb) + px_;
    if (z < std::min(t.tube.a.z, t.tube.b.z) - r || z > std::max(t.tube.a.z, t.tube.b.z) + r) return;
    int i0, i1, j0, j1;
    range(0.5 * (t.tube.a.x + t.tube.b.x), 0.5 * (t.tube.a.y + t.tube.b.y),
          0.5 * ph::norm(t.tube.b - t.tube.a) + r, i0, i1, j0, j1);
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) {
        if (!lung(i, j)) continue;
        double radius = 0;
        const double d = ph::tubeDistance(t.tube, point(i, j, z), &radius);
        const float c = ph::coverage(radius, d, px_);
        if (c <= 0.0f) continue;
        const std::size_t idx = static_cast<std::size_t>(j) * cols_ + i;
        if (c * t.opacity > p.dense[idx]) {
          p.dense[idx] = static_cast<float>(c * t.opacity);
          p.dense_hu[idx] = static_cast<float>(t.target_hu);
        }
        if (c > 0.5f) setLabel(labels, idx, t.type);
      }
  }

  void bronchogram(const ph::Tube& t, double z, Plane& p) const {
    const double r = std::max(t.ra, t.rb) + px_;
    if (z < std::min(t.a.z, t.b.z) - r || z > std::max(t.a.z, t.b.z) + r) return;
    int i0, i1, j0, j1;
    range(0.5 * (t.a.x + t.b.x), 0.5 * (t.a.y + t.b.y), 0.5 * ph::norm(t.b - t.a) + r, i0, i1, j0, j1);
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) {
        const std::size_t idx = static_cast<std::size_t>(j) * cols_ + i;
        if (p.dense[idx] <= 0.5f) continue;  // air bronchograms show only inside consolidation
        double radius = 0;
        const double d = ph::tubeDistance(t, point(i, j, z), &radius);
        p.air[idx] = std::max(p.air[idx], ph::coverage(radius, d, px_));
      }
  }

  const MaskLungGeometry& lungs_;
  const ph::Findings& f_;
  int k_, cols_ = 0, rows_ = 0;
  double px_ = 1, sx_ = 1, sy_ = 1;
  ph::V3 origin_;
};

}  // namespace

Insertion insertFindings(const volume::Volume& background, const MaskLungGeometry& lungs, const ph::Findings& findings,
                         double thickness_mm, int threads, const CancelToken& cancel) {
  const volume::Geometry& g = background.geometry();
  std::vector<double> positions(static_cast<std::size_t>(g.slices));
  for (int k = 0; k < g.slices; ++k) positions[static_cast<std::size_t>(k)] = background.slicePosition_mm(k);
  Insertion out;
  out.volume = std::make_shared<volume::Volume>(g, positions);
  out.labels.assign(g.voxelCount(), 0);
  const std::size_t n = g.voxelsPerSlice();
  const double thickness = thickness_mm > 0 ? thickness_mm : g.spacing_mm[2];
  // Sub-planes across the thickness: about one per 2.5 mm, odd, 1..7.
  const int m = std::clamp(2 * static_cast<int>(std::lround(thickness / 5.0)) + 1, 1, 7);
  const std::uint32_t seed = lungs.textureSeed();
  parallelFor(
      0, g.slices, threads > 0 ? threads : defaultThreadCount(),
      [&](int k) {
        const std::int16_t* bg = background.slice(k);
        std::int16_t* dst = out.volume->mutableSlice(k);
        std::uint8_t* labels = out.labels.data() + static_cast<std::size_t>(k) * n;
        for (std::size_t i = 0; i < n; ++i) {
          dst[i] = bg[i];
          labels[i] = lungs.mask().labels[static_cast<std::size_t>(k) * n + i] != 0 ? phantom::kLabelLung : 0;
        }
        if (lungs.mask().lung_voxels_per_slice[static_cast<std::size_t>(k)] == 0 ||
            (findings.blobs.empty() && findings.tubes.empty())) {
          out.volume->markSliceReady(k);
          return;
        }
        const SliceSplatter splatter(lungs, findings, k);
        thread_local Plane sum, plane;
        sum.reset(n);
        const double zc = background.slicePosition_mm(k);
        for (int s = 0; s < m; ++s) {
          plane.reset(n);
          const double z = zc + ((s + 0.5) / m - 0.5) * thickness;
          splatter.splat(z, plane, s == m / 2 ? labels : nullptr);
          for (std::size_t i = 0; i < n; ++i) {
            sum.ggo[i] += plane.ggo[i] / m;
            sum.crazy[i] += plane.crazy[i] / m;
            sum.air[i] += plane.air[i] / m;
            // The densest lesion's HU, weighted by how much of the thickness it fills.
            if (plane.dense[i] > 0) {
              sum.dense_hu[i] = (sum.dense_hu[i] * sum.dense[i] + plane.dense_hu[i] * plane.dense[i] / m) /
                                (sum.dense[i] + plane.dense[i] / m);
              sum.dense[i] += plane.dense[i] / m;
            }
          }
        }
        const std::vector<float> smooth = smoothSlice(bg, g, 1.2);
        const auto& lungLabels = lungs.mask().labels;
        for (int j = 0; j < g.rows; ++j)
          for (int i = 0; i < g.cols; ++i) {
            const std::size_t idx = static_cast<std::size_t>(j) * g.cols + i;
            if (!lungLabels[static_cast<std::size_t>(k) * n + idx]) continue;
            if (sum.ggo[idx] <= 0 && sum.dense[idx] <= 0 && sum.air[idx] <= 0) continue;
            float base = smooth[idx];
            const float noise = static_cast<float>(bg[idx]) - base;
            float o = sum.ggo[idx];
            if (sum.crazy[idx] > 0) {
              // Thickened interlobular septa, as the stylised generator draws them.
              const ph::V3 q = lungs.voxelPoint(i, j, k);
              const float line = 1.0f - std::clamp((ph::cellBorderDistance2(static_cast<float>(q.x / 8.5),
                                                                            static_cast<float>(q.y / 8.5), seed) -
                                                    0.05f) / 0.08f, 0.0f, 1.0f);
              o += sum.crazy[idx] * 0.45f * line;
            }
            if (base < -250.0f) base = mix(base, -250.0f, std::min(o, 1.0f));
            const float dense = std::min(sum.dense[idx], 1.0f);
            if (dense > 0 && base < sum.dense_hu[idx]) base = mix(base, sum.dense_hu[idx], dense);
            base = mix(base, -1000.0f, std::min(sum.air[idx], 1.0f));
            dst[idx] = static_cast<std::int16_t>(std::clamp(std::lround(base + noise), -1024L, 3071L));
          }
        out.volume->markSliceReady(k);
      },
      cancel);
  return out;
}

}  // namespace lunglens::core::hybrid
