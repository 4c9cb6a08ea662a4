// The tube sets of a subject: great vessels, central airways, ribs, and the pulmonary vessel and bronchial trees.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/phantom/anatomy.h"
#include "core/phantom/random.h"

namespace lunglens::core::phantom {

namespace {

void polyline(std::vector<Tube>& out, const std::vector<V3>& pts, double r0, double r1, float value = 0.0f) {
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    const double f0 = static_cast<double>(i) / static_cast<double>(pts.size() - 1);
    const double f1 = static_cast<double>(i + 1) / static_cast<double>(pts.size() - 1);
    out.push_back({pts[i], pts[i + 1], r0 + (r1 - r0) * f0, r0 + (r1 - r0) * f1, value});
  }
}

// Radius of a vessel feeding n terminal points (Murray-like: r^2.7 adds up at branchings).
double vesselRadius(std::size_t n) { return 0.66 * std::pow(static_cast<double>(n), 0.3); }

struct TreeBuilder {
  const std::vector<V3>& pts;
  std::vector<Tube>& vessels;
  std::vector<Tube>* airways;  // null: no airways follow this tree
  Rng& rng;

  static V3 centroid(const std::vector<V3>& pts, const std::vector<int>& idx, std::size_t b, std::size_t e) {
    V3 c;
    for (std::size_t i = b; i < e; ++i) c = c + pts[static_cast<std::size_t>(idx[i])];
    return c * (1.0 / static_cast<double>(e - b));
  }

  // Splits the points idx[b, e) by their principal axis and grows one branch toward each half.
  void grow(V3 start, V3 air_start, V3 perp, std::vector<int>& idx, std::size_t b, std::size_t e) {
    const std::size_t n = e - b;
    if (n == 0) return;
    if (n == 1) {
      const V3 p = pts[static_cast<std::size_t>(idx[b])];
      vessels.push_back({start, p, vesselRadius(2), vesselRadius(1), 0.0f});
      return;
    }
    const V3 c = centroid(pts, idx, b, e);
    // Principal axis by a few power iterations on the covariance.
    double cov[3][3] = {};
    for (std::size_t i = b; i < e; ++i) {
      const V3 d = pts[static_cast<std::size_t>(idx[i])] - c;
      const double v[3] = {d.x, d.y, d.z};
      for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 3; ++k) cov[r][k] += v[r] * v[k];
    }
    double ax[3] = {1, 0.5, 0.25};
    for (int it = 0; it < 8; ++it) {
      double nx[3];
      for (int r = 0; r < 3; ++r) nx[r] = cov[r][0] * ax[0] + cov[r][1] * ax[1] + cov[r][2] * ax[2];
      const double len = std::sqrt(nx[0] * nx[0] + nx[1] * nx[1] + nx[2] * nx[2]);
      if (len < 1e-12) break;
      for (int r = 0; r < 3; ++r) ax[r] = nx[r] / len;
    }
    const V3 axis{ax[0], ax[1], ax[2]};
    const std::size_t mid = b + n / 2;
    std::nth_element(idx.begin() + static_cast<long>(b), idx.begin() + static_cast<long>(mid),
                     idx.begin() + static_cast<long>(e), [&](int l, int r) {
                       return dot(pts[static_cast<std::size_t>(l)], axis) < dot(pts[static_cast<std::size_t>(r)], axis);
                     });
    const std::size_t halves[2][2] = {{b, mid}, {mid, e}};
    for (const auto& h : halves) {
      const std::size_t nh = h[1] - h[0];
      if (nh == 0) continue;
      const V3 ch = nh == 1 ? pts[static_cast<std::size_t>(idx[h[0]])] : centroid(pts, idx, h[0], h[1]);
      const double f = nh == 1 ? 1.0 : rng.uniform(0.35, 0.5);
      const V3 end = start + (ch - start) * f;
      const double r = vesselRadius(nh);
      vessels.push_back({start, end, std::min(vesselRadius(n), r * 1.08), r, 0.0f});
      V3 air_end = air_start;
      V3 child_perp = perp;
      if (airways && r >= 1.0 && nh > 1) {
        const V3 dir = normalized(end - start);
        child_perp = normalized(perp - dir * dot(perp, dir));
        const double lumen = 0.8 * r, wall = 0.18 * lumen + 0.35;
        air_end = end + child_perp * (r + lumen + wall + 0.4);
        airways->push_back({air_start, air_end, lumen, lumen, static_cast<float>(wall)});
      }
      TreeBuilder child{pts, vessels, (airways && r >= 1.0) ? airways : nullptr, rng};
      child.grow(end, air_end, child_perp, idx, h[0], h[1]);
    }
  }
};

}  // namespace

void Subject::buildCentralTubes() {
  const double s = scale_;
  const Section mid = section(-10.0);
  const double zht = heart_c_[2] + 0.8 * heart_axes_[2];  // top of the heart
  const double top = z_high_ + 20.0, bottom = z_low_ - 20.0;
  const double aorta_y = mid.vb_y - 6.0;
  std::vector<Tube>& g = great_vessels_;
  // Ascending aorta, arch, descending aorta.
  polyline(g, {{-8, heart_c_[1] + 12, zht - 20}, {-11, -22 * s, 22}, {-4, -10 * s, 38}}, 14 * s, 13 * s);
  polyline(g, {{-4, -10 * s, 38}, {12, 6, 38}, {21, aorta_y, 24}}, 12.5 * s, 12 * s);
  polyline(g, {{21, aorta_y, 24}, {20, aorta_y + 2, -60}, {14, aorta_y + 4, bottom}}, 12 * s, 11 * s);
  // Pulmonary trunk and its two arteries to the hila.
  const V3 bif{14, -14 * s, -10};
  polyline(g, {{16, heart_c_[1] - 8, zht - 8}, bif}, 13.5 * s, 12.5 * s);
  polyline(g, {bif, {hilum_[1].x * 0.7, hilum_[1].y - 4, hilum_[1].z + 2}, hilum_[1]}, 11 * s, 10 * s);
  polyline(g, {bif, {-6, -6 * s, -12}, {hilum_[0].x * 0.7, hilum_[0].y - 2, hilum_[0].z}, hilum_[0]}, 11 * s, 10 * s);
  // Superior vena cava and the branches of the arch.
  polyline(g, {{-27 * s, -14 * s, z_apex_ - 12}, {-25 * s, -10 * s, zht + 4}}, 9.5 * s, 10 * s);
  polyline(g, {{-4, -14 * s, 36}, {-14 * s, -10 * s, top}}, 6.5 * s, 6.5 * s);
  polyline(g, {{5, -10 * s, 38}, {9 * s, -6 * s, top}}, 4.2 * s, 4.2 * s);
  polyline(g, {{13, 2, 36}, {30 * s, 10, z_apex_}, {36 * s, 12, top}}, 5.2 * s, 5.2 * s);
  // Pulmonary veins into the left atrium (back of the heart).
  const V3 la{heart_c_[0] - 4, heart_c_[1] + 0.65 * heart_axes_[1], heart_c_[2] + 0.3 * heart_axes_[2]};
  for (int side = 0; side < 2; ++side) {
    const V3 root{hilum_[side].x * 0.8, hilum_[side].y + 10, hilum_[side].z - 32};
    polyline(g, {root, la}, 7.0 * s, 8.0 * s);
  }
  // Central airways: trachea to the carina, then the main bronchi (left longer and more horizontal).
  const double ytr = mid.vb_y - mid.vb_r - 20.0;
  const double tr = 8.5 * s;
  central_airways_.push_back({{0, ytr - 2, top}, {0, ytr, 0}, tr, tr, static_cast<float>(0.2 * tr)});
  esophagus_ = {{4, mid.vb_y - mid.vb_r - 5, top}, {12, mid.vb_y - mid.vb_r - 3, bottom}, 7.0 * s, 7.0 * s, 0.0f};
}

void Subject::buildRibs() {
  const double s = scale_;
  const double height = z_apex_ - dome_top_[0];
  for (int side = 0; side < 2; ++side) {
    const double sgn = side == 0 ? -1.0 : 1.0;
    for (int i = 0; i < 12; ++i) {
      const double z0 = z_apex_ + 8.0 - i * height * 0.095;
      const double th0 = 0.22, th1 = i < 7 ? 2.55 : 2.55 - (i - 6) * 0.28;
      const double drop = 0.14 * height;
      std::vector<V3> pts;
      for (int k = 0; k <= 14; ++k) {
        const double th = th0 + (th1 - th0) * k / 14.0;
        const double z = z0 + 6.0 * std::sin(std::min(th, 1.0) * 3.14159) - drop * (th - th0) / (th1 - th0);
        const Section sec = section(z);
        const double r = 4.6 * s;
        const double ay = std::cos(th) > 0 ? sec.cav_ay_post : sec.cav_ay_ant;
        pts.push_back({sgn * (sec.cav_ax + r + 1.0) * std::sin(th), (ay + r + 1.0) * std::cos(th), z});
      }
      polyline(ribs_, pts, (i == 0 ? 3.8 : 4.6) * s, (i == 0 ? 3.8 : 4.6) * s);
    }
  }
  // Sternum: two parallel tubes make a flat bone.
  const Section sec = section(heart_c_[2]);
  const double ys = -(sec.cav_ay_ant + 7.0);
  for (double x : {-6.0 * s, 6.0 * s})
    ribs_.push_back({{x, ys, dome_top_[0] + 15.0}, {x * 1.3, ys + 6.0, z_apex_ - 25.0}, 6.5 * s, 7.0 * s, 0.0f});
}

void Subject::buildTrees(std::uint64_t seed) {
  Rng rng = Rng(seed).fork("trees");
  const Section mid = section(-10.0);
  for (int side = 0; side < 2; ++side) {
    // Terminal points fill the lung; two independent sets give arteries (with bronchi) and veins.
    for (int tree = 0; tree < 2; ++tree) {
      std::vector<V3> pts;
      const int wanted = 4200;
      const double x0 = side == 0 ? -mid.cav_ax * 1.1 : 0.0, x1 = side == 0 ? 0.0 : mid.cav_ax * 1.1;
      for (int tries = 0; static_cast<int>(pts.size()) < wanted && tries < wanted * 20; ++tries) {
        const V3 p{rng.uniform(x0, x1), rng.uniform(-mid.cav_ay_ant, mid.cav_ay_post), rng.uniform(z_low_, z_apex_)};
        if (lungSideAt(p) == side) pts.push_back(p);
      }
      std::vector<int> idx(pts.size());
      std::iota(idx.begin(), idx.end(), 0);
      if (tree == 0) {
        const V3 root = hilum_[side];
        const V3 perp{0, 1, 0};
        const double r = vesselRadius(pts.size()), lumen = 0.8 * r;
        const V3 air_root = root + perp * (0.6 * (r + lumen)) + V3{0, 0, 8.0};
        // Main bronchus from the carina to the root of this lung's bronchial tree.
        const V3 carina = central_airways_.front().b;
        const double mr = (side == 0 ? 6.8 : 6.2) * scale_;
        central_airways_.push_back({carina, air_root, mr, std::max(lumen, mr * 0.8), static_cast<float>(0.2 * mr)});
        TreeBuilder b{pts, pulmonary_vessels_, &airways_, rng};
        b.grow(root, air_root, perp, idx, 0, idx.size());
      } else {
        const V3 root{hilum_[side].x * 0.8, hilum_[side].y + 10, hilum_[side].z - 32};
        TreeBuilder b{pts, pulmonary_vessels_, nullptr, rng};
        b.grow(root, root, V3{0, 1, 0}, idx, 0, idx.size());
      }
    }
  }
}

}  // namespace lunglens::core::phantom
