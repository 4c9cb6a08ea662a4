#include "core/phantom/anatomy.h"

#include <algorithm>
#include <cmath>

#include "core/phantom/random.h"

namespace lunglens::core::phantom {

namespace {
double smoothstep(double e0, double e1, double x) {
  const double t = std::clamp((x - e0) / (e1 - e0), 0.0, 1.0);
  return t * t * (3 - 2 * t);
}
constexpr double kMediastinalMargin_mm = 4.0;  // lung keeps this far from great vessels and central airways
}  // namespace

const char* lobeName(Lobe lobe) {
  switch (lobe) {
    case Lobe::RightUpper: return "right_upper";
    case Lobe::RightMiddle: return "right_middle";
    case Lobe::RightLower: return "right_lower";
    case Lobe::LeftUpper: return "left_upper";
    case Lobe::LeftLower: return "left_lower";
    default: return "none";
  }
}

Subject::Subject(std::uint64_t seed, bool fissures) : fissures_(fissures) {
  Rng rng = Rng(seed).fork("body");
  texture_seed_ = static_cast<std::uint32_t>(mix64(seed ^ 0x7e47u));
  scale_ = std::clamp(rng.normal(1.0, 0.06), 0.86, 1.14);
  width_ = rng.uniform(0.95, 1.1);
  breath_ = rng.uniform(0.86, 1.04);
  heart_scale_ = rng.uniform(0.88, 1.15);
  fat_ = rng.uniform(7.0, 28.0) * scale_;
  muscle_ = rng.uniform(7.0, 12.0);
  parenchyma_hu_ = -905.0 + (1.04 - breath_) * 150.0;
  noise_sigma_hu_ = rng.uniform(10.0, 30.0);

  body_ax_ = 158.0 * scale_ * width_ + 0.4 * fat_;
  body_ay_ant_ = 112.0 * scale_ + 0.4 * fat_;
  body_ay_post_ = 100.0 * scale_ + 0.3 * fat_;

  const double lung_height = 255.0 * scale_ * breath_;
  z_apex_ = 0.42 * lung_height;
  dome_top_[0] = z_apex_ - 0.8 * lung_height;
  dome_top_[1] = dome_top_[0] - rng.uniform(8.0, 20.0);
  dome_depth_ = 0.27 * lung_height;
  z_low_ = dome_top_[1] - 1.2 * dome_depth_ - 12.0;
  z_high_ = z_apex_ + 15.0;
  fov_mm_ = std::ceil(std::max(340.0, 2.0 * body_ax_ + 50.0) / 10.0) * 10.0;

  // Heart: an ellipsoid resting on the diaphragm, left-anterior, long axis turned toward the left.
  heart_axes_[0] = 62.0 * heart_scale_ * scale_;
  heart_axes_[1] = 47.0 * heart_scale_ * scale_;
  heart_axes_[2] = 55.0 * heart_scale_ * scale_;
  heart_c_[0] = 14.0 * scale_;
  heart_c_[1] = -28.0 * scale_;
  heart_c_[2] = dome_top_[0] + 0.75 * heart_axes_[2];
  heart_angle_ = rng.uniform(-0.6, -0.35);

  // Fissures: oblique from high posterior to the anterior diaphragm; horizontal (right) at mid height.
  for (int side = 0; side < 2; ++side) {
    const double z_post = z_apex_ - rng.uniform(0.36, 0.44) * lung_height + side * 8.0;
    const double z_ant = dome_top_[side] + rng.uniform(5.0, 20.0);
    fis_obl_k_[side] = (z_post - z_ant) / 140.0;
    fis_obl_z0_[side] = z_ant + fis_obl_k_[side] * 70.0;
  }
  fis_hor_z_ = dome_top_[0] + rng.uniform(0.42, 0.5) * (z_apex_ - dome_top_[0]);
  const Section base = section(dome_top_[0]);
  dome_ax_ = base.cav_ax;
  dome_ay_ = 0.5 * (base.cav_ay_ant + base.cav_ay_post);

  const Section mid = section(-10.0);
  hilum_[0] = {-mid.cav_ax * 0.36, 4.0, -28.0};
  hilum_[1] = {mid.cav_ax * 0.38, 6.0, -22.0};

  buildCentralTubes();
  buildRibs();
  buildTrees(seed);
}

Section Subject::section(double z) const {
  Section s;
  s.z = z;
  const double wobble = 1.0 + 0.025 * std::sin(z / 37.0);
  s.body_ax = body_ax_ * wobble;
  s.body_ay_ant = body_ay_ant_;
  s.body_ay_post = body_ay_post_;
  s.skin_mm = 2.0;
  s.fat_mm = fat_;
  s.muscle_mm = muscle_;
  const double inlet = 1.0 - 0.22 * smoothstep(z_apex_ - 70.0, z_apex_ + 15.0, z);
  s.cav_ax = (s.body_ax - s.skin_mm - fat_ - muscle_ - 3.0) * inlet;
  s.cav_ay_ant = (body_ay_ant_ - s.skin_mm - 0.8 * fat_ - muscle_ - 5.0) * inlet;
  s.cav_ay_post = body_ay_post_ - s.skin_mm - 0.6 * fat_ - muscle_ - 9.0;

  const double q = std::sqrt(std::clamp((z_apex_ - z) / 70.0, 0.0, 1.0));
  s.lungs_present = q > 0.0 && z > std::min(dome_top_[0], dome_top_[1]) - 1.3 * dome_depth_;
  for (int side = 0; side < 2; ++side) {
    Ellipse2& e = s.lung_env[side];
    e.cx = (side == 0 ? -1 : 1) * s.cav_ax * (0.5 + 0.08 * (1 - q));
    e.cy = 6.0 + 22.0 * (1 - q);
    e.ax = std::max(1e-3, s.cav_ax * 0.62 * q);
    e.ay = std::max(1e-3, 0.55 * (s.cav_ay_ant + s.cav_ay_post) * (0.35 + 0.65 * q) * std::min(1.0, q * 3));
  }
  s.med_mid_halfwidth = z > heart_c_[2] + 0.7 * heart_axes_[2] ? 20.0 : 11.0;

  const double hz = (z - heart_c_[2]) / heart_axes_[2];
  s.heart_present = std::abs(hz) < 1.0;
  if (s.heart_present) {
    const double k = std::sqrt(1.0 - hz * hz);
    s.heart = {heart_c_[0], heart_c_[1], heart_axes_[0] * k, heart_axes_[1] * k, std::cos(heart_angle_),
               std::sin(heart_angle_)};
  }
  s.vb_r = 15.0 * scale_;
  s.vb_y = s.cav_ay_post * 0.42;
  s.canal_r = 8.0;
  s.canal_y = s.vb_y + s.vb_r + 9.0;
  const double period = 26.0 * scale_;
  const double phase = (z + 1000.0) / period;
  s.disc = phase - std::floor(phase) < 0.2;
  return s;
}

double Subject::mediastinumHalfWidth(const Section& s, double y) const {
  return 4.0 + (s.med_mid_halfwidth - 4.0) * smoothstep(-50.0, -20.0, y);
}

double Subject::domeZ(int side, double x, double y) const {
  const double xd = (side == 0 ? -1 : 1) * dome_ax_ * 0.42, yd = -12.0;
  const double u = (x - xd) / (dome_ax_ * 0.55), v = (y - yd) / dome_ay_;
  const double r2 = u * u + v * v;
  return dome_top_[side] - dome_depth_ * std::min(1.0, 0.85 * r2) - 0.22 * dome_depth_ * std::max(0.0, v);
}

int Subject::lungSideInSection(const Section& s, double x, double y, bool mediastinal) const {
  if (!s.lungs_present || mediastinal) return -1;
  const int side = x < 0 ? 0 : 1;
  const double cay = y < 0 ? s.cav_ay_ant : s.cav_ay_post;
  if ((x / s.cav_ax) * (x / s.cav_ax) + (y / cay) * (y / cay) >= 1.0) return -1;
  if (s.lung_env[side].rho2(x, y) >= 1.0) return -1;
  if (std::abs(x) <= mediastinumHalfWidth(s, y)) return -1;
  if (s.heart_present) {
    Ellipse2 h = s.heart;
    h.ax += 4.0;
    h.ay += 4.0;
    if (h.rho2(x, y) < 1.0) return -1;
  }
  const double sy = y - s.vb_y, rr = s.vb_r + 7.0;
  if (x * x + sy * sy < rr * rr) return -1;
  if (std::abs(x) < s.vb_r + 12.0 && y > s.vb_y) return -1;  // posterior arch and paraspinal muscles
  if (s.z <= domeZ(side, x, y)) return -1;
  return side;
}

bool Subject::inMediastinalTube(V3 p, double margin) const {
  for (const auto* set : {&great_vessels_, &central_airways_}) {
    for (const Tube& t : *set) {
      double r = 0;
      if (tubeDistance(t, p, &r) < r + margin) return true;
    }
  }
  double r = 0;
  return tubeDistance(esophagus_, p, &r) < r + margin;
}

LungGeometry::Box Subject::sampleBox() const {
  // The thoracic cavity at mid height, a little wider than the cavity (the placer keeps the points inside a lung).
  const Section mid = section(-10.0);
  return {-mid.cav_ax * 1.1, mid.cav_ax * 1.1, -mid.cav_ay_ant, mid.cav_ay_post};
}

int Subject::lungSideAt(V3 p) const {
  const Section s = section(p.z);
  const int side = lungSideInSection(s, p.x, p.y, false);
  if (side < 0 || inMediastinalTube(p, kMediastinalMargin_mm)) return -1;
  return side;
}

V3 Subject::lungCentre(int side, double z) const {
  const Section s = section(z);
  return {s.lung_env[side].cx, s.lung_env[side].cy, z};
}

double Subject::lungDepth(V3 p, bool inPlane) const {
  const Section s = section(p.z);
  const int side = lungSideInSection(s, p.x, p.y, false);
  if (side < 0) return 0.0;
  const double cay = p.y < 0 ? s.cav_ay_ant : s.cav_ay_post;
  double d = (1.0 - std::sqrt((p.x / s.cav_ax) * (p.x / s.cav_ax) + (p.y / cay) * (p.y / cay))) *
             std::min(s.cav_ax, cay);
  const Ellipse2& e = s.lung_env[side];
  d = std::min(d, (1.0 - std::sqrt(e.rho2(p.x, p.y))) * std::min(e.ax, e.ay));
  d = std::min(d, std::abs(p.x) - mediastinumHalfWidth(s, p.y));
  if (s.heart_present) {
    Ellipse2 h = s.heart;
    h.ax += 4.0;
    h.ay += 4.0;
    d = std::min(d, (std::sqrt(h.rho2(p.x, p.y)) - 1.0) * std::min(h.ax, h.ay));
  }
  d = std::min(d, std::sqrt(p.x * p.x + (p.y - s.vb_y) * (p.y - s.vb_y)) - s.vb_r - 7.0);
  if (!inPlane) {
    d = std::min(d, 0.7 * (p.z - domeZ(side, p.x, p.y)));
    d = std::min(d, z_apex_ - p.z);
  }
  for (const auto* set : {&great_vessels_, &central_airways_}) {
    for (const Tube& t : *set) {
      double r = 0;
      d = std::min(d, tubeDistance(t, p, &r) - r - kMediastinalMargin_mm);
    }
  }
  return std::max(d, 0.0);
}

double Subject::obliqueFissure(int side, double x, double y, double z) const {
  // Rising posteriorly (k) and laterally (kx): on an axial slice the fissure runs from the mediastinum
  // anterolaterally to the chest wall.
  const double k = fis_obl_k_[side], kx = 0.6 * k;
  return (z - (fis_obl_z0_[side] + k * y + kx * (std::abs(x) - 50.0))) / std::sqrt(1.0 + k * k + kx * kx);
}

double Subject::horizontalFissure(double y, double z) const {
  (void)y;
  return z - fis_hor_z_;
}

Lobe Subject::lobeAt(V3 p) const {
  const int side = lungSideAt(p);
  if (side < 0) return Lobe::None;
  if (obliqueFissure(side, p.x, p.y, p.z) < 0) return side == 0 ? Lobe::RightLower : Lobe::LeftLower;
  if (side == 1) return Lobe::LeftUpper;
  return horizontalFissure(p.y, p.z) > 0 ? Lobe::RightUpper : Lobe::RightMiddle;
}

Subject::Summary Subject::summary() const {
  return {2 * body_ax_, body_ay_ant_ + body_ay_post_, z_apex_ - std::min(dome_top_[0], dome_top_[1]) + dome_depth_,
          breath_, heart_scale_, fat_, noise_sigma_hu_};
}

}  // namespace lunglens::core::phantom
