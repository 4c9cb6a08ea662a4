#include "core/phantom/findings.h"

#include <algorithm>
#include <cmath>

#include "core/phantom/random.h"

namespace lunglens::core::phantom {

namespace {

constexpr double kPi = 3.14159265358979;

struct Sample {
  V3 p;
  int side;
  Lobe lobe;
  double depth;           // to the nearest pleura in 3D
  double depth_in_plane;  // to the costal or mediastinal pleura, as seen on an axial slice
};

double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}

Blob ellipsoid(Finding type, V3 c, double a, double b, double cz, double angle) {
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

V3 randomUnit(Rng& rng) {
  const double z = rng.uniform(-1, 1), phi = rng.uniform(0, 2 * kPi), r = std::sqrt(1 - z * z);
  return {r * std::cos(phi), r * std::sin(phi), z};
}

class Placer {
 public:
  Placer(const Subject& s, const PhantomParams& p) : subj_(s), params_(p), rng_(Rng(p.seed).fork("findings")) {
    Rng srng = Rng(p.seed).fork("samples");
    const Section mid = s.section(-10.0);
    for (int tries = 0; samples_.size() < 9000 && tries < 200000; ++tries) {
      const V3 q{srng.uniform(-mid.cav_ax * 1.1, mid.cav_ax * 1.1), srng.uniform(-mid.cav_ay_ant, mid.cav_ay_post),
                 srng.uniform(s.zLow(), s.zHigh())};
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

  const Subject& subj_;
  const PhantomParams& params_;
  Rng rng_;
  std::vector<Sample> samples_;
  std::vector<char> covered_;
  std::vector<double> cdf_;
  double z_mid_ = 0;
  Findings out_;
};

Findings Placer::run() {
  const std::vector<Finding> types = params_.effectiveFindings();
  auto has = [&](Finding f) { return std::find(types.begin(), types.end(), f) != types.end(); };
  if (params_.diagnosis == Diagnosis::Covid) covid(types);
  if (has(Finding::LobarConsolidation)) lobar();
  if (has(Finding::Bronchopneumonia)) bronchopneumonia();
  if (has(Finding::TreeInBud) || has(Finding::Cavity)) tuberculosis(has(Finding::TreeInBud), has(Finding::Cavity));
  if (has(Finding::Nodule)) nodules();
  for (const Blob& b : out_.blobs) out_.types.push_back(b.type);
  for (const LesionTube& t : out_.tubes) out_.types.push_back(t.type);
  std::sort(out_.types.begin(), out_.types.end());
  out_.types.erase(std::unique(out_.types.begin(), out_.types.end()), out_.types.end());
  return out_;
}

void Placer::covid(const std::vector<Finding>& types) {
  auto has = [&](Finding f) { return std::find(types.begin(), types.end(), f) != types.end(); };
  const bool ggo = has(Finding::Ggo), crazy = has(Finding::CrazyPaving), cons = has(Finding::Consolidation);
  const double sev = params_.severity;
  const double ggo_share = (ggo || crazy) ? (cons ? 0.7 : 1.0) : 0.0;
  int turn = static_cast<int>(params_.seed & 1u);
  // Consolidation first (it grows inside GGO), each with a GGO halo when GGO is shown.
  if (cons) {
    const double target = sev * (1.0 - ggo_share);
    for (int n = 0; n < 40 && (n == 0 || coverage() < target); ++n, turn ^= 1) {
      const Sample* s = pick([&](const Sample& x) { return covidWeight(x, turn) * (x.depth > 4 ? 1.0 : 0.2); });
      if (!s) break;
      // Subpleural and patchy like the GGO it grows in: flattened against the pleura, ragged edge.
      const double r = rng_.uniform(12.0, 19.0) * (1.0 + 0.6 * sev);
      const V3 lc = subj_.lungCentre(s->side, s->p.z);
      Blob b = ellipsoid(Finding::Consolidation, s->p, r * rng_.uniform(0.6, 0.85), r * rng_.uniform(1.1, 1.5),
                         r * rng_.uniform(0.9, 1.3), std::atan2(s->p.y - lc.y, s->p.x - lc.x));
      b.edge = 0.15, b.noise_amp = 0.55, b.opacity = 1.0, b.target_hu = rng_.uniform(22.0, 42.0);
      add(b);
      bronchograms(b, r);
      if (ggo || crazy) {
        Blob halo = ellipsoid(Finding::Ggo, s->p, r * 0.95, r * 1.8, r * 1.4, std::atan2(s->p.y - lc.y, s->p.x - lc.x));
        halo.edge = 0.3, halo.noise_amp = 0.5, halo.opacity = rng_.uniform(0.5, 0.62), halo.target_hu = -250;
        add(halo);
      }
    }
  }
  if (ggo || crazy) {
    for (int n = 0; n < 250 && (n == 0 || coverage() < sev); ++n, turn ^= 1) {
      const Sample* s = pick([&](const Sample& x) { return covidWeight(x, turn); });
      if (!s) break;
      // Subpleural patches: flattened against the pleura (short axis pointing to the lung's centre), long along it.
      const double r = rng_.uniform(10.0, 17.0) * (1.0 + 1.2 * sev);
      const Finding type = crazy && (!ggo || rng_.chance(0.35)) ? Finding::CrazyPaving : Finding::Ggo;
      const V3 c = subj_.lungCentre(s->side, s->p.z);
      const double angle = std::atan2(s->p.y - c.y, s->p.x - c.x);
      Blob b = ellipsoid(type, s->p, r * rng_.uniform(0.55, 0.8), r * rng_.uniform(1.1, 1.6), r * rng_.uniform(0.9, 1.4),
                         angle);
      b.edge = 0.35, b.noise_amp = 0.8, b.opacity = rng_.uniform(0.45, 0.68), b.target_hu = -250;
      if (type == Finding::CrazyPaving) b.opacity *= 0.85;
      add(b);
    }
  }
  if (has(Finding::FibroticStreaks)) fibroticStreaks(4 + static_cast<int>(std::lround(16 * sev)));
}

void Placer::fibroticStreaks(int count) {
  int turn = 0;
  for (int n = 0; n < count; ++n, turn ^= 1) {
    const bool subpleural = n % 2 == 0;
    const Sample* s = pick([&](const Sample& x) {
      const bool ok = subpleural ? (x.depth_in_plane > 3 && x.depth_in_plane < 8) : (x.depth_in_plane < 3);
      return ok ? covidWeight(x, turn) + 0.05 : 0.0;
    });
    if (!s) break;
    std::vector<V3> pts{s->p};
    V3 inward = depthGradient(s->p);
    if (subpleural) {
      // Curvilinear band parallel to the pleura at a constant depth.
      // Along the pleura and mostly in the axial plane, so a slice shows it as a line parallel to the chest wall.
      V3 t = normalized(cross(inward, V3{0, 0, 1}) + V3{0, 0, rng_.uniform(-0.15, 0.15)});
      const double d0 = s->depth_in_plane;
      for (int k = 0; k < 8; ++k) {
        V3 p = pts.back() + t * 7.0;
        const double d = subj_.lungDepth(p, true);
        if (d <= 0.5) break;
        const V3 g = depthGradient(p);
        p = p + g * (d0 - d);
        p.z = pts.back().z + t.z * 7.0;
        t = normalized(p - pts.back());
        pts.push_back(p);
      }
    } else {
      // Parenchymal band: from the pleura inward, slightly bent.
      const double len = rng_.uniform(25.0, 45.0);
      V3 dir = normalized({inward.x, inward.y, 0.2 * inward.z});
      for (double done = 0; done < len; done += 8.0) {
        const V3 jitter = randomUnit(rng_) * 0.25;
        dir = normalized(dir + V3{jitter.x, jitter.y, 0.2 * jitter.z});
        const V3 p = pts.back() + dir * 8.0;
        if (subj_.lungSideAt(p) < 0) break;
        pts.push_back(p);
      }
    }
    if (pts.size() >= 2)
      addTubePath(Finding::FibroticStreaks, pts, rng_.uniform(1.2, 1.9), rng_.uniform(0.85, 1.0),
                  rng_.uniform(-40.0, 20.0));
  }
}

void Placer::lobar() {
  const Lobe lobes[] = {Lobe::RightLower, Lobe::LeftLower, Lobe::RightUpper, Lobe::RightMiddle, Lobe::LeftUpper};
  const double prior[] = {0.3, 0.25, 0.2, 0.1, 0.15};
  double u = rng_.uniform(), acc = 0;
  int first = 0;
  for (int i = 0; i < 5; ++i)
    if (u < (acc += prior[i])) {
      first = i;
      break;
    }
  double remaining = std::max(params_.severity, 0.03);
  for (int k = 0; k < 5 && remaining > 0.01; ++k) {
    const Lobe lobe = lobes[(first + k) % 5];
    std::vector<const Sample*> in;
    for (const Sample& s : samples_)
      if (s.lobe == lobe) in.push_back(&s);
    if (in.empty()) continue;
    const double lobe_frac = static_cast<double>(in.size()) / static_cast<double>(samples_.size());
    Blob b;
    b.type = Finding::LobarConsolidation;
    b.lobe = lobe;
    b.opacity = 1.0, b.target_hu = rng_.uniform(25.0, 45.0), b.edge = 0.1, b.noise_amp = 0.15;
    if (remaining >= 0.8 * lobe_frac) {
      V3 c;
      for (const Sample* s : in) c = c + s->p;
      b = [&] {
        Blob w = ellipsoid(Finding::LobarConsolidation, c * (1.0 / static_cast<double>(in.size())), 400, 400, 400, 0);
        w.lobe = lobe, w.opacity = 1.0, w.target_hu = b.target_hu, w.edge = 0.02, w.noise_amp = 0.0;
        return w;
      }();
      remaining -= lobe_frac;
    } else {
      // Segmental: a sphere around a peripheral point of the lobe, sized so the involved fraction meets severity.
      const Sample* anchor = in[static_cast<std::size_t>(rng_.uniform() * static_cast<double>(in.size()))];
      for (int t = 0; t < 30 && anchor->depth > 15; ++t)
        anchor = in[static_cast<std::size_t>(rng_.uniform() * static_cast<double>(in.size()))];
      double lo = 5, hi = 250;
      for (int it = 0; it < 30; ++it) {
        const double r = 0.5 * (lo + hi);
        std::size_t n = 0;
        for (const Sample* s : in) n += norm(s->p - anchor->p) < r;
        (static_cast<double>(n) / static_cast<double>(samples_.size()) < remaining ? lo : hi) = r;
      }
      const double r = 0.5 * (lo + hi);
      const double tb = b.target_hu;
      b = ellipsoid(Finding::LobarConsolidation, anchor->p, r, r, r, 0);
      b.lobe = lobe, b.opacity = 1.0, b.target_hu = tb, b.edge = 0.1, b.noise_amp = 0.15;
      remaining = 0;
    }
    b.reach_mm *= 1.1;
    add(b);
    bronchograms(b, std::min(30.0, b.reach_mm));
  }
}

void Placer::bronchopneumonia() {
  const bool both = rng_.chance(0.6);
  const int first_side = rng_.integer(0, 1);
  auto inRegion = [&](V3 p) {
    const Lobe l = subj_.lobeAt(p);
    const bool lower = l == Lobe::RightLower || l == Lobe::LeftLower || l == Lobe::RightMiddle;
    return lower && (both || (p.x < 0 ? 0 : 1) == first_side);
  };
  std::vector<const Tube*> candidates;
  for (const Tube& t : subj_.airways())
    if (t.ra >= 0.8 && t.ra <= 2.6 && inRegion(t.b)) candidates.push_back(&t);
  if (candidates.empty()) return;
  const double target = std::max(params_.severity, 0.02);
  for (int n = 0; n < 160 && (n == 0 || coverage() < target); ++n) {
    const Tube* t = candidates[static_cast<std::size_t>(rng_.uniform() * static_cast<double>(candidates.size()))];
    const V3 c = t->a + (t->b - t->a) * rng_.uniform(0.2, 1.0);
    const double r = rng_.uniform(6.0, 13.0);
    Blob b = ellipsoid(Finding::Bronchopneumonia, c, r * rng_.uniform(0.8, 1.5), r, r * rng_.uniform(0.8, 1.3),
                       rng_.uniform(0, kPi));
    b.edge = 0.4, b.noise_amp = 0.9, b.opacity = rng_.uniform(0.8, 1.0), b.target_hu = rng_.uniform(-400.0, 10.0);
    add(b);
  }
}

void Placer::tuberculosis(bool buds, bool cavities) {
  auto upperWeight = [&](const Sample& x) {
    const bool upper = x.lobe == Lobe::RightUpper || x.lobe == Lobe::LeftUpper;
    return upper ? (x.p.z > z_mid_ + 20 ? 1.0 : 0.2) * (x.p.y > 0 ? 1.0 : 0.4) : 0.0;
  };
  std::vector<V3> cluster_centres;
  if (cavities) {
    const int n = params_.severity > 0.5 ? 2 : 1;
    for (int k = 0; k < n; ++k) {
      const Sample* s = pick([&](const Sample& x) { return x.depth > 14 ? upperWeight(x) : 0.0; });
      if (!s) break;
      const double r = rng_.uniform(11.0, 18.0), wall = rng_.uniform(3.0, 5.5);
      Blob b = ellipsoid(Finding::Cavity, s->p, r, r * rng_.uniform(0.85, 1.0), r * rng_.uniform(0.85, 1.1),
                         rng_.uniform(0, kPi));
      b.inner = 1.0 - wall / r, b.edge = 0.1, b.noise_amp = 0.2, b.opacity = 1.0, b.target_hu = rng_.uniform(25, 45);
      add(b);
      cluster_centres.push_back(s->p);
    }
  }
  if (!buds) return;
  const int clusters = 1 + static_cast<int>(std::lround(params_.severity * 10));
  while (static_cast<int>(cluster_centres.size()) < clusters) {
    const Sample* s = pick(upperWeight);
    if (!s) break;
    cluster_centres.push_back(s->p);
  }
  for (const V3& c : cluster_centres) {
    const int count = rng_.integer(10, 18);
    for (int k = 0; k < count; ++k) {
      const V3 p = c + randomUnit(rng_) * rng_.uniform(4.0, 24.0);
      if (subj_.lungDepth(p) < 4.0) continue;  // centrilobular: spares the subpleural rim
      const V3 dir = randomUnit(rng_);
      const V3 stem_end = p + dir * rng_.uniform(3.0, 5.0);
      addTubePath(Finding::TreeInBud, {p, stem_end}, 0.8, 1.0, 25);
      const V3 side = normalized(cross(dir, randomUnit(rng_)));
      for (double sgn : {-1.0, 1.0}) {
        const V3 tip = stem_end + normalized(dir + side * (0.8 * sgn)) * rng_.uniform(3.0, 5.0);
        addTubePath(Finding::TreeInBud, {stem_end, tip}, 0.65, 1.0, 25);
        const V3 bud = tip + normalized(dir + side * (0.8 * sgn)) * 0.8;
        const double rb = rng_.uniform(1.3, 2.2);
        out_.tubes.push_back({Finding::TreeInBud, {bud, bud, rb, rb, 0.0f}, 1.0, 30});
      }
    }
  }
}

void Placer::nodules() {
  const int count = rng_.integer(1, 3);
  for (int k = 0; k < count; ++k) {
    const double r = rng_.uniform(2.5, 4.5);
    const Sample* s = pick([&](const Sample& x) { return x.depth > r + 3 ? 1.0 : 0.0; });
    if (!s) break;
    Blob b = ellipsoid(Finding::Nodule, s->p, r, r, r, 0);
    b.edge = 0.25, b.noise_amp = 0.1, b.opacity = 1.0, b.target_hu = rng_.uniform(30.0, 60.0);
    add(b);
  }
}

}  // namespace

float lesionNoise(V3 p, std::uint32_t seed) {
  return fbm3(static_cast<float>(p.x / 9.0), static_cast<float>(p.y / 9.0), static_cast<float>(p.z / 9.0),
              seed ^ 0xb10bu, 2);
}

double blobWeight(const Blob& b, V3 p, double n) {
  const V3 d = p - b.centre;
  const double u = b.inv[0][0] * d.x + b.inv[0][1] * d.y + b.inv[0][2] * d.z;
  const double v = b.inv[1][0] * d.x + b.inv[1][1] * d.y + b.inv[1][2] * d.z;
  const double w = b.inv[2][0] * d.x + b.inv[2][1] * d.y + b.inv[2][2] * d.z;
  const double s = 1.0 - std::sqrt(u * u + v * v + w * w) + b.noise_amp * (n - 0.5);
  return smoothstep(-0.5 * b.edge, 0.5 * b.edge, s);
}

double blobAirWeight(const Blob& b, V3 p, double n) {
  if (b.inner <= 0) return 0.0;
  const V3 d = p - b.centre;
  const double u = b.inv[0][0] * d.x + b.inv[0][1] * d.y + b.inv[0][2] * d.z;
  const double v = b.inv[1][0] * d.x + b.inv[1][1] * d.y + b.inv[1][2] * d.z;
  const double w = b.inv[2][0] * d.x + b.inv[2][1] * d.y + b.inv[2][2] * d.z;
  const double s = b.inner - std::sqrt(u * u + v * v + w * w) + 0.5 * b.noise_amp * (n - 0.5);
  return smoothstep(-0.5 * b.edge, 0.5 * b.edge, s / b.inner * 0.5);
}

Findings placeFindings(const Subject& subject, const PhantomParams& params) {
  if (params.effectiveFindings().empty()) return {};
  Placer placer(subject, params);
  return placer.run();
}

}  // namespace lunglens::core::phantom
