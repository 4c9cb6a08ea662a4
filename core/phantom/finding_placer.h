#pragma once
// The finding placer shared by findings.cpp (common parts), findings_covid.cpp and findings_other.cpp. Private to
// core/phantom.
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/phantom/findings.h"
#include "core/phantom/random.h"

namespace lunglens::core::phantom::detail {

inline constexpr double kPi = 3.14159265358979;

struct Sample {
  V3 p;
  int side;
  Lobe lobe;
  double depth;           // to the nearest pleura in 3D
  double depth_in_plane;  // to the costal or mediastinal pleura, as seen on an axial slice
};

inline double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

inline Blob ellipsoid(Finding type, V3 c, double a, double b, double cz, double angle) {
  Blob bl;
  bl.type = type;
  bl.centre = c;
  const double co = std::cos(angle), si = std::sin(angle);
  // inv = diag(1/a, 1/b, 1/c) * R(angle)^T
  bl.inv[0][0] = co / a, bl.inv[0][1] = si / a, bl.inv[0][2] = 0;
  bl.inv[1][0] = -si / b, bl.inv[1][1] = co / b, bl.inv[1][2] = 0;
  bl.inv[2][0] = 0, bl.inv[2][1] = 0, bl.inv[2][2] = 1 / cz;
  bl.reach_mm = std::max({a, b, cz});
  return bl;
}

inline V3 randomUnit(Rng& rng) {
  const double z = rng.uniform(-1, 1), phi = rng.uniform(0, 2 * kPi), r = std::sqrt(1 - z * z);
  return {r * std::cos(phi), r * std::sin(phi), z};
}

class Placer {
 public:
  Placer(const LungGeometry& s, const PhantomParams& p) : subj_(s), params_(p), rng_(Rng(p.seed).fork("findings")) {
    Rng srng = Rng(p.seed).fork("samples");
    const LungGeometry::Box box = s.sampleBox();
    for (int tries = 0; samples_.size() < 9000 && tries < 200000; ++tries) {
      const V3 q{srng.uniform(box.x0, box.x1), srng.uniform(box.y0, box.y1), srng.uniform(s.zLow(), s.zHigh())};
      const int side = s.lungSideAt(q);
      if (side < 0) continue;
      samples_.push_back({q, side, s.lobeAt(q), s.lungDepth(q), s.lungDepth(q, true)});
    }
    covered_.assign(samples_.size(), 0);
    z_mid_ = 0.5 * (s.zLow() + s.zHigh());
  }

  Findings run();

 private:
  double coverage() const {
    std::size_t n = 0;
    for (char c : covered_) n += c != 0;
    return samples_.empty() ? 0.0 : static_cast<double>(n) / static_cast<double>(samples_.size());
  }
  void add(const Blob& b) {
    out_.blobs.push_back(b);
    for (std::size_t i = 0; i < samples_.size(); ++i) {
      if (covered_[i]) continue;
      const V3 d = samples_[i].p - b.centre;
      if (std::abs(d.x) > b.reach_mm * 1.3 || std::abs(d.y) > b.reach_mm * 1.3 || std::abs(d.z) > b.reach_mm * 1.3)
        continue;
      if (b.lobe != Lobe::None && samples_[i].lobe != b.lobe) continue;
      if (blobWeight(b, samples_[i].p, lesionNoise(samples_[i].p, subj_.textureSeed())) > 0.5) covered_[i] = 1;
    }
  }
  // Picks a sample with probability proportional to weight(sample).
  template <class W>
  const Sample* pick(W&& weight) {
    double total = 0;
    cdf_.resize(samples_.size());
    for (std::size_t i = 0; i < samples_.size(); ++i) cdf_[i] = total += std::max(0.0, weight(samples_[i]));
    if (total <= 0) return nullptr;
    const double u = rng_.uniform() * total;
    const auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
    return &samples_[static_cast<std::size_t>(std::min<long>(it - cdf_.begin(), static_cast<long>(cdf_.size()) - 1))];
  }
  double covidWeight(const Sample& s, int& side_turn) const {
    const double periph = s.depth_in_plane <= 8 ? 1.0 : std::exp(-(s.depth_in_plane - 8) / 5.0);
    const double post = 0.2 + 0.8 * std::clamp((s.p.y + 40.0) / 90.0, 0.0, 1.0);  // dependent lung first
    const double height = std::clamp((s.p.z - subj_.zLow()) / (subj_.zHigh() - subj_.zLow()), 0.0, 1.0);
    const double lower = 1.0 - 0.85 * height;  // bases first
    const double side = s.side == side_turn ? 1.0 : 0.15;  // alternate sides: bilateral
    const double lateral = 0.25 + 0.75 * std::clamp((std::abs(s.p.x) - 30.0) / 50.0, 0.0, 1.0);  // costal > mediastinal
    return periph * post * lower * side * lateral;
  }
  // Direction of increasing in-plane depth (away from the costal / mediastinal pleura).
  V3 depthGradient(V3 p) const {
    const double h = 1.5;
    return normalized({subj_.lungDepth(p + V3{h, 0, 0}, true) - subj_.lungDepth(p - V3{h, 0, 0}, true),
                       subj_.lungDepth(p + V3{0, h, 0}, true) - subj_.lungDepth(p - V3{0, h, 0}, true),
                       subj_.lungDepth(p + V3{0, 0, h}, true) - subj_.lungDepth(p - V3{0, 0, h}, true)});
  }
  void addTubePath(Finding type, const std::vector<V3>& pts, double r, double opacity, double hu) {
    for (std::size_t i = 0; i + 1 < pts.size(); ++i)
      out_.tubes.push_back({type, {pts[i], pts[i + 1], r, r, 0.0f}, opacity, hu});
  }
  void bronchograms(const Blob& b, double r) {
    const V3 dir = normalized(b.centre - subj_.hilum(b.centre.x < 0 ? 0 : 1));
    const V3 side = normalized(cross(dir, V3{0, 0, 1}));
    const V3 a = b.centre - dir * (0.9 * r), m = b.centre, e = b.centre + dir * (0.75 * r);
    out_.bronchograms.push_back({a, m, 2.0, 1.6, 0.0f});
    out_.bronchograms.push_back({m, e, 1.6, 1.0, 0.0f});
    for (double sgn : {-1.0, 1.0}) {
      const V3 tip = m + normalized(dir + side * (0.75 * sgn) + V3{0, 0, rng_.uniform(-0.4, 0.4)}) * (0.7 * r);
      out_.bronchograms.push_back({m, tip, 1.4, 0.8, 0.0f});
      const V3 mid = m + (tip - m) * 0.5;
      const V3 twig = mid + normalized(dir + side * (1.4 * sgn)) * (0.35 * r);
      out_.bronchograms.push_back({mid, twig, 1.0, 0.7, 0.0f});
    }
  }

  void covid(const std::vector<Finding>& types);
  void fibroticStreaks(int count);
  void lobar();
  void bronchopneumonia();
  void tuberculosis(bool buds, bool cavities);
  void nodules();

  const LungGeometry& subj_;
  const PhantomParams& params_;
  Rng rng_;
  std::vector<Sample> samples_;
  std::vector<char> covered_;
  std::vector<double> cdf_;
  double z_mid_ = 0;
  Findings out_;
};

}  // namespace lunglens::core::phantom::detail
