#include "core/phantom/slice_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/phantom/random.h"
#include "core/phantom/slice_scratch.h"

namespace lunglens::core::phantom {

namespace {

constexpr double kMediastinalMargin_mm = 4.0;  // as in anatomy.cpp: lungs keep this far from central structures

inline float clamp01(double v) { return static_cast<float>(v < 0 ? 0 : (v > 1 ? 1 : v)); }

}  // namespace

SeriesLayout layoutFor(const Subject& subject, const PhantomParams& params) {
  SeriesLayout l;
  volume::Geometry& g = l.geometry;
  g.cols = g.rows = params.size;
  g.slices = params.slices;
  const double fov = subject.fovMm(), px = fov / params.size;
  const double spacing = (subject.zHigh() - subject.zLow()) / params.slices;
  g.spacing_mm = {px, px, spacing};
  const double y_centre = 14.0;  // room for the table under the patient
  g.origin_mm = {-fov / 2 + px / 2, y_centre - fov / 2 + px / 2, subject.zLow() + spacing / 2};
  l.thickness_mm = params.thickness_mm > 0 ? params.thickness_mm : spacing;
  l.subplanes = l.thickness_mm <= 1.25 ? 1 : (l.thickness_mm <= 3.5 ? 3 : 5);
  return l;
}

SliceRenderer::SliceRenderer(const Subject& subject, const Findings& findings, const SeriesLayout& layout)
    : subject_(subject), findings_(findings), layout_(layout) {
  grid_ = {layout.geometry.cols, layout.geometry.rows, layout.geometry.origin_mm[0], layout.geometry.origin_mm[1],
           layout.geometry.spacing_mm[0]};
  mediastinal_ = subject.greatVessels();
  mediastinal_.push_back(subject.esophagus());
  mediastinal_index_.build(mediastinal_, 4.0, 6.0);
  central_air_index_.build(subject.centralAirways(), 4.0, 6.0);
  vessel_index_.build(subject.pulmonaryVessels(), 2.0, 2.0);
  airway_index_.build(subject.airways(), 2.0, 4.0);
  rib_index_.build(subject.ribs(), 4.0, 2.0);
  for (const LesionTube& t : findings.tubes) lesion_tubes_.push_back(t.tube);
  lesion_tube_index_.build(lesion_tubes_, 2.0, 2.0);
  bronchogram_index_.build(findings.bronchograms, 2.0, 2.0);
}

void SliceRenderer::render(int k, float* hu, std::uint8_t* labels) const {
  const std::size_t n = static_cast<std::size_t>(grid_.cols) * static_cast<std::size_t>(grid_.rows);
  Scratch s;
  const double zc = layout_.sliceZ(k);
  // Smooth fields are sampled once per slice (they barely change across the thickness).
  const std::uint32_t seed = subject_.textureSeed();
  s.texture.fill(grid_, 2, [&](double x, double y) {
    return valueNoise3(static_cast<float>(x / 3.2), static_cast<float>(y / 3.2), static_cast<float>(zc / 3.2), seed);
  });
  if (!findings_.blobs.empty())
    s.lesion_noise.fill(grid_, 4, [&](double x, double y) { return lesionNoise({x, y, zc}, seed); });
  std::vector<float> plane(n);
  std::fill(hu, hu + n, 0.0f);
  s.n = n;
  s.label.assign(n, 0);
  splatFindings(zc, true, s);
  const int m = layout_.subplanes;
  for (int p = 0; p < m; ++p) {
    const double z = zc + ((p + 0.5) / m - 0.5) * layout_.thickness_mm;
    const bool centre = p == m / 2;
    renderPlane(z, zc, centre, s, plane.data(), labels);
    for (std::size_t i = 0; i < n; ++i) hu[i] += plane[i];
  }
  const float inv = 1.0f / static_cast<float>(m);
  for (std::size_t i = 0; i < n; ++i) hu[i] *= inv;
}

void SliceRenderer::splatTubes(double z, Scratch& s) const {
  const double px = grid_.px;
  for (int id : mediastinal_index_.near(z)) {
    splatTube(mediastinal_[static_cast<std::size_t>(id)], z, grid_, kMediastinalMargin_mm,
              [&](std::size_t i, double d, double r) {
                s.med[i] = 1;
                s.blood[i] = std::max(s.blood[i], coverage(r, d, px));
              });
  }
  const auto& central = subject_.centralAirways();
  for (int id : central_air_index_.near(z)) {
    const Tube& t = central[static_cast<std::size_t>(id)];
    splatTube(t, z, grid_, kMediastinalMargin_mm, [&](std::size_t i, double d, double r) {
      s.med[i] = 1;
      const float lumen = coverage(r, d, px);
      s.lumen[i] = std::max(s.lumen[i], lumen);
      s.wall[i] = std::max(s.wall[i], coverage(r + t.value, d, px) - lumen);
    });
  }
  const auto& vessels = subject_.pulmonaryVessels();
  for (int id : vessel_index_.near(z)) {
    splatTube(vessels[static_cast<std::size_t>(id)], z, grid_, px, [&](std::size_t i, double d, double r) {
      s.blood[i] = std::max(s.blood[i], coverage(r, d, px));
    });
  }
  const auto& airways = subject_.airways();
  for (int id : airway_index_.near(z)) {
    const Tube& t = airways[static_cast<std::size_t>(id)];
    splatTube(t, z, grid_, t.value + px, [&](std::size_t i, double d, double r) {
      const float lumen = coverage(r, d, px);
      s.lumen[i] = std::max(s.lumen[i], lumen);
      s.wall[i] = std::max(s.wall[i], coverage(r + t.value, d, px) - lumen);
    });
  }
  const auto& ribs = subject_.ribs();
  for (int id : rib_index_.near(z)) {
    splatTube(ribs[static_cast<std::size_t>(id)], z, grid_, px, [&](std::size_t i, double d, double r) {
      s.cortex[i] = std::max(s.cortex[i], coverage(r, d, px));
      s.marrow[i] = std::max(s.marrow[i], coverage(r - 1.4, d, px));
    });
  }
}

void SliceRenderer::splatFindings(double z, bool withLabels, Scratch& s) const {
  const PlaneGrid& g = grid_;
  auto setLabel = [&](std::size_t i, Finding f) {
    if (withLabels && labelPriority(static_cast<std::uint8_t>(f)) > labelPriority(s.label[i])) s.label[i] = static_cast<std::uint8_t>(f);
  };
  for (const Blob& b : findings_.blobs) {
    const double grow = 1.0 + b.noise_amp * 0.5 + b.edge;  // largest normalised radius with any weight
    const double reach_z = grow / std::max(std::abs(b.inv[2][2]), 1e-9);
    const double dzn = (z - b.centre.z) / reach_z;
    if (std::abs(dzn) >= 1.0) continue;
    const double reach = b.reach_mm * grow * std::sqrt(1.0 - dzn * dzn);
    s.resetLesions();
    const int i0 = std::max(0, static_cast<int>((b.centre.x - reach - g.x0) / g.px));
    const int i1 = std::min(g.cols - 1, static_cast<int>((b.centre.x + reach - g.x0) / g.px) + 1);
    const int j0 = std::max(0, static_cast<int>((b.centre.y - reach - g.y0) / g.px));
    const int j1 = std::min(g.rows - 1, static_cast<int>((b.centre.y + reach - g.y0) / g.px) + 1);
    const bool ggo_like = b.type == Finding::Ggo || b.type == Finding::CrazyPaving;
    const int side = b.lobe == Lobe::None ? -1 : (b.lobe <= Lobe::RightLower ? 0 : 1);
    for (int j = j0; j <= j1; ++j) {
      const double y = g.y0 + j * g.px;
      for (int i = i0; i <= i1; ++i) {
        const double x = g.x0 + i * g.px;
        const std::size_t idx = static_cast<std::size_t>(j) * g.cols + i;
        const double dx = x - b.centre.x, dy = y - b.centre.y, dz = z - b.centre.z;
        const double u = b.inv[0][0] * dx + b.inv[0][1] * dy, v = b.inv[1][0] * dx + b.inv[1][1] * dy,
                     ww = b.inv[2][2] * dz;
        if (u * u + v * v + ww * ww >= grow * grow) continue;  // cheap reject before the noise lookup
        double w = blobWeight(b, {x, y, z}, s.lesion_noise.at(i, j));
        if (w <= 0.0) continue;
        if (side >= 0) {  // confined to a lobe: the fissure is a sharp border
          if ((x < 0 ? 0 : 1) != side) continue;
          const double obl = subject_.obliqueFissure(side, x, y, z);
          const bool lower = b.lobe == Lobe::RightLower || b.lobe == Lobe::LeftLower;
          double inside = lower ? -obl : obl;
          if (b.lobe == Lobe::RightUpper) inside = std::min(inside, subject_.horizontalFissure(y, z));
          if (b.lobe == Lobe::RightMiddle) inside = std::min(inside, -subject_.horizontalFissure(y, z));
          w *= clamp01(inside / g.px + 0.5);
          if (w <= 0.0) continue;
        }
        const float wf = static_cast<float>(w);
        if (ggo_like) {
          s.ggo[idx] = std::max(s.ggo[idx], static_cast<float>(w * b.opacity));
          if (b.type == Finding::CrazyPaving) s.crazy[idx] = std::max(s.crazy[idx], wf);
        } else if (w * b.opacity > s.dense[idx]) {
          s.dense[idx] = static_cast<float>(w * b.opacity);
          s.dense_hu[idx] = static_cast<float>(b.target_hu);
        }
        if (b.inner > 0)
          s.cav_air[idx] = std::max(s.cav_air[idx], static_cast<float>(blobAirWeight(b, {x, y, z}, s.lesion_noise.at(i, j))));
        if (w > 0.5) setLabel(idx, b.type);
      }
    }
  }
  for (int id : lesion_tube_index_.near(z)) {
    const LesionTube& t = findings_.tubes[static_cast<std::size_t>(id)];
    splatTube(t.tube, z, g, g.px, [&](std::size_t i, double d, double r) {
      const float c = coverage(r, d, g.px);
      if (c <= 0.0f) return;
      s.resetLesions();
      if (c * t.opacity > s.dense[i]) {
        s.dense[i] = static_cast<float>(c * t.opacity);
        s.dense_hu[i] = static_cast<float>(t.target_hu);
      }
      if (c > 0.5f) setLabel(i, t.type);
    });
  }
  if (!s.any_lesion) return;
  for (int id : bronchogram_index_.near(z)) {
    splatTube(findings_.bronchograms[static_cast<std::size_t>(id)], z, g, g.px, [&](std::size_t i, double d, double r) {
      if (s.dense[i] > 0.5f) s.bronchogram[i] = std::max(s.bronchogram[i], coverage(r, d, g.px));
    });
  }
}

}  // namespace lunglens::core::phantom
