#pragma once
// Renders one slice of a phantom: the noise-free HU image (partial volume from averaging sub-planes across the
// slice thickness) and the label image of the slice's centre plane. Const and thread-safe: slices render in
// parallel and each depends only on the subject, the findings and its own index.
#include <cstdint>
#include <vector>

#include "core/phantom/anatomy.h"
#include "core/phantom/findings.h"
#include "core/phantom/params.h"
#include "core/volume/geometry.h"

namespace lunglens::core::phantom {

struct SeriesLayout {
  volume::Geometry geometry;  // axial, LPS; slice 0 is the most inferior
  double thickness_mm = 0;
  int subplanes = 1;  // planes averaged across the thickness (odd; the middle one gives the labels)
  double sliceZ(int k) const { return geometry.origin_mm[2] + k * geometry.spacing_mm[2]; }
};

SeriesLayout layoutFor(const Subject& subject, const PhantomParams& params);

class SliceRenderer {
 public:
  SliceRenderer(const Subject& subject, const Findings& findings, const SeriesLayout& layout);

  // Fills hu (rows * cols, noise-free HU) and labels (rows * cols) for slice k.
  void render(int k, float* hu, std::uint8_t* labels) const;

 private:
  struct Scratch;
  void renderPlane(double z, double zc, bool withLabels, Scratch& s, float* hu, std::uint8_t* labels) const;
  void splatTubes(double z, Scratch& s) const;
  void splatFindings(double z, bool withLabels, Scratch& s) const;

  const Subject& subject_;
  const Findings& findings_;
  SeriesLayout layout_;
  PlaneGrid grid_;
  std::vector<Tube> mediastinal_;  // great vessels, esophagus (blood-like)
  TubeIndex mediastinal_index_, central_air_index_, vessel_index_, airway_index_, rib_index_, lesion_tube_index_,
      bronchogram_index_;
  std::vector<Tube> lesion_tubes_;
};

}  // namespace lunglens::core::phantom
