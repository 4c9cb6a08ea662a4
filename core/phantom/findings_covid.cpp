// COVID-19 findings: subpleural, posterior and basal GGO (and crazy paving), consolidation inside it with air
// bronchograms, and fibrotic bands.
#include "core/phantom/finding_placer.h"

namespace lunglens::core::phantom::detail {

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
  // Alone (the organising phase), the bands are the whole picture and come in greater numbers.
  const bool alone = !ggo && !crazy && !cons;
  if (has(Finding::FibroticStreaks)) fibroticStreaks((alone ? 8 : 4) + static_cast<int>(std::lround((alone ? 40 : 16) * sev)));
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

}  // namespace lunglens::core::phantom::detail
