#pragma once
// The lungs of a real CT series, as the finding placer sees a chest (core/phantom/lung_geometry.h): side and zone
// from core/lung's mask, depth under the pleura from ITK distance maps, lung centres per slice, a hilum and a
// stand-in bronchial tree (straight branches from the hilum: the placer only needs their paths for patchy
// bronchopneumonia). Coordinates: patient LPS in mm, shifted in the plane so that the lungs' centroid is x = y = 0
// (the placer's "peripheral, posterior, lateral" weights assume a body-centred frame).
#include <array>
#include <cstdint>
#include <vector>

#include "core/lung/lung_analysis.h"
#include "core/phantom/lung_geometry.h"

namespace lunglens::core::hybrid {

class MaskLungGeometry final : public phantom::LungGeometry {
 public:
  // `mask` must be the analysis of an axial series in the standard orientation (rows to the patient's left,
  // columns posterior, slices ascending); throws InputError otherwise or when a lung is missing.
  MaskLungGeometry(const lung::LungMask& mask, const std::vector<double>& slice_z_mm, std::uint64_t seed);

  Box sampleBox() const override { return box_; }
  double zLow() const override { return z_low_; }
  double zHigh() const override { return z_high_; }
  int lungSideAt(phantom::V3 p) const override;
  phantom::Lobe lobeAt(phantom::V3 p) const override;
  double lungDepth(phantom::V3 p, bool inPlane = false) const override;
  phantom::V3 lungCentre(int side, double z) const override;
  phantom::V3 hilum(int side) const override { return hilum_[static_cast<std::size_t>(side)]; }
  const std::vector<phantom::Tube>& airways() const override { return airways_; }
  std::uint32_t textureSeed() const override { return texture_seed_; }

  // Frame <-> voxel: the frame point of voxel (i, j, k), and the nearest voxel of a frame point (false outside).
  phantom::V3 voxelPoint(int i, int j, int k) const;
  bool nearestVoxel(phantom::V3 p, int& i, int& j, int& k) const;
  lung::Zone zoneAt(int i, int j, int k) const;
  const lung::LungMask& mask() const { return mask_; }

 private:
  const lung::LungMask& mask_;
  std::vector<double> z_;                        // slice centres (mm), ascending
  double cx_ = 0, cy_ = 0;                       // the in-plane centroid subtracted from LPS
  std::vector<float> depth3d_, depth2d_;         // mm inside the lungs, <= 0 outside
  std::vector<std::array<phantom::V3, 2>> centre_;  // per slice and side (z = the slice's)
  Box box_;
  double z_low_ = 0, z_high_ = 0;
  std::array<phantom::V3, 2> hilum_{};
  std::vector<phantom::Tube> airways_;
  std::uint32_t texture_seed_ = 0;
};

}  // namespace lunglens::core::hybrid
