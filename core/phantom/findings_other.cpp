// Other pneumonias (lobar or segmental consolidation, bronchopneumonia, tuberculosis) and incidental nodules.
#include "core/phantom/finding_placer.h"

namespace lunglens::core::phantom::detail {

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
    const int count = rng_.integer(18, 30);
    for (int k = 0; k < count; ++k) {
      const V3 p = c + randomUnit(rng_) * rng_.uniform(3.0, 20.0);
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

}  // namespace lunglens::core::phantom::detail
