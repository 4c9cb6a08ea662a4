#pragma once
// The parametric chest of one subject: body outline and layers, thoracic cavity, lungs (with lobes and diaphragm
// domes), mediastinum, heart, spine, and the tube sets (great vessels, airways, pulmonary vessel trees, ribs).
// Drawn once from the seed; evaluated per voxel by the slice renderer. Patient LPS coordinates in mm: x to the
// patient's left, y posterior, z superior; the carina sits at z = 0 and the body axis at x = y = 0.
#include <cstdint>
#include <vector>

#include "core/phantom/lung_geometry.h"
#include "core/phantom/tubes.h"

namespace lunglens::core::phantom {


struct Ellipse2 {  // axis-aligned ellipse (possibly rotated by angle) in the slice plane
  double cx = 0, cy = 0, ax = 1, ay = 1, cos_a = 1, sin_a = 0;
  double rho2(double x, double y) const {  // < 1 inside
    const double dx = x - cx, dy = y - cy;
    const double u = (dx * cos_a + dy * sin_a) / ax, v = (-dx * sin_a + dy * cos_a) / ay;
    return u * u + v * v;
  }
};

// Shapes that vary with z, evaluated once per slice plane.
struct Section {
  double z = 0;
  double body_ax = 0, body_ay_ant = 0, body_ay_post = 0;
  double skin_mm = 2, fat_mm = 15, muscle_mm = 15;
  double cav_ax = 0, cav_ay_ant = 0, cav_ay_post = 0;  // thoracic cavity (inside ribs)
  Ellipse2 lung_env[2];                                 // per side (0 right, 1 left): apex taper envelope
  bool lungs_present = false;
  double med_mid_halfwidth = 20;  // mediastinum half width behind the anterior junction
  bool heart_present = false;
  Ellipse2 heart;
  double vb_y = 30, vb_r = 16, canal_y = 55, canal_r = 8;
  bool disc = false;  // an intervertebral disc cuts this plane
};

class Subject final : public LungGeometry {
 public:
  // Draws a subject from the seed; `breath` etc. are drawn, not passed.
  explicit Subject(std::uint64_t seed, bool fissures = true);

  // Geometry of the series the subject is imaged in.
  double zLow() const override { return z_low_; }
  double zHigh() const override { return z_high_; }
  Box sampleBox() const override;
  double fovMm() const { return fov_mm_; }

  Section section(double z) const;

  // Lung membership away from the raster (3D sampling, placement). side: 0 right (x < 0), 1 left.
  int lungSideAt(V3 p) const override;  // -1 outside both lungs
  // Approximate distance (mm) from p to the nearest pleural surface; <= 0 outside the lungs. `inPlane` ignores the
  // diaphragm and the apex (the distance a reader sees on an axial slice: costal and mediastinal pleura).
  double lungDepth(V3 p, bool inPlane = false) const override;
  // Centre of a lung's cross-section envelope at height z (for orienting subpleural findings).
  V3 lungCentre(int side, double z) const override;
  Lobe lobeAt(V3 p) const override;  // None outside the lungs
  // Signed distances (mm) to the fissure planes of a side (oblique; horizontal for the right lung): for rendering
  // the fissure lines and assigning lobes.
  double obliqueFissure(int side, double x, double y, double z) const;
  double horizontalFissure(double y, double z) const;
  double domeZ(int side, double x, double y) const;  // lung base (diaphragm) height under (x, y)

  // Per-pixel lung test within a section, given whether a mediastinal structure (dilated) covers the pixel.
  int lungSideInSection(const Section& s, double x, double y, bool mediastinal) const;
  double mediastinumHalfWidth(const Section& s, double y) const;

  // Tube sets
  const std::vector<Tube>& greatVessels() const { return great_vessels_; }  // aorta, PA, SVC, ... (blood)
  const std::vector<Tube>& centralAirways() const { return central_airways_; }  // trachea, main bronchi
  const std::vector<Tube>& pulmonaryVessels() const { return pulmonary_vessels_; }
  const std::vector<Tube>& airways() const override { return airways_; }  // bronchial tree inside the lungs
  const std::vector<Tube>& ribs() const { return ribs_; }        // ribs and sternum (bone)
  const Tube& esophagus() const { return esophagus_; }
  bool fissures() const { return fissures_; }
  double parenchymaHu() const { return parenchyma_hu_; }
  double noiseSigmaHu() const { return noise_sigma_hu_; }
  V3 hilum(int side) const override { return hilum_[side]; }
  std::uint32_t textureSeed() const override { return texture_seed_; }
  // Summary for truth.json (body size, breath level, heart size, ...).
  struct Summary {
    double body_width_mm, body_depth_mm, lung_height_mm, breath_level, heart_scale, fat_mm, noise_sigma_hu;
  };
  Summary summary() const;

 private:
  void buildCentralTubes();
  void buildRibs();
  void buildTrees(std::uint64_t seed);
  bool inMediastinalTube(V3 p, double margin) const;

  bool fissures_;
  std::uint32_t texture_seed_;
  double scale_, width_, breath_, heart_scale_, fat_, muscle_, parenchyma_hu_, noise_sigma_hu_;
  double body_ax_, body_ay_ant_, body_ay_post_;
  double z_apex_, dome_top_[2], dome_depth_, dome_ax_ = 1, dome_ay_ = 1, z_low_, z_high_, fov_mm_;
  double heart_c_[3], heart_axes_[3], heart_angle_;
  double fis_obl_z0_[2], fis_obl_k_[2], fis_hor_z_;
  V3 hilum_[2];
  std::vector<Tube> great_vessels_, central_airways_, pulmonary_vessels_, airways_, ribs_;
  Tube esophagus_;
};

}  // namespace lunglens::core::phantom
