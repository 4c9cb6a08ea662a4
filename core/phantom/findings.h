#pragma once
// The findings of one phantom: where each lesion sits, its shape and density, placed with the distribution typical
// of its disease (COVID-19: bilateral, peripheral, posterior and lower; lobar pneumonia: one lobe; bronchopneumonia:
// patchy along the bronchi; tuberculosis: upper lobes). Severity is met by measuring coverage on sample points.
#include <vector>

#include "core/phantom/anatomy.h"
#include "core/phantom/params.h"

namespace lunglens::core::phantom {

// An ellipsoid with a noisy edge. Opacity towards `target_hu`; GGO-like types blend towards it partially.
struct Blob {
  Finding type = Finding::Ggo;
  V3 centre;
  double inv[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};  // maps (p - centre) to the unit sphere; turns about z only
  double reach_mm = 10;  // bounding radius including the edge noise
  double edge = 0.15;    // width of the soft edge, in units of the normalised radius
  double noise_amp = 0.3;
  double opacity = 1.0;    // 0..1 fraction of the way to target_hu at full weight
  double target_hu = 30;
  double inner = 0.0;      // cavities: the air-filled inside as a fraction of the radius
  Lobe lobe = Lobe::None;  // lobar consolidation: confined to this lobe (the fissure makes a sharp border)
};

// Linear findings and small nodules: tubes (a zero-length tube is a sphere).
struct LesionTube {
  Finding type = Finding::TreeInBud;
  Tube tube;
  double opacity = 1.0;
  double target_hu = 20;
};

struct Findings {
  std::vector<Blob> blobs;
  std::vector<LesionTube> tubes;
  std::vector<Tube> bronchograms;  // air-filled tubes shown only inside consolidation
  std::vector<Finding> types;      // the finding types actually present
};

// Places the findings for `params` in `subject`. Deterministic for the seed.
Findings placeFindings(const LungGeometry& lungs, const PhantomParams& params);
// Which finding a voxel is labelled when several cover it (the denser, rarer one wins; 0/1 lowest).
int labelPriority(std::uint8_t label);

// Weight (0..1) of a blob at p given the edge-noise value n in [0, 1).
double blobWeight(const Blob& b, V3 p, double n);
// Weight of the cavity's air-filled inside (0 when the blob has none).
double blobAirWeight(const Blob& b, V3 p, double n);
// The edge noise shared by blobs (3D FBM, about 9 mm features).
float lesionNoise(V3 p, std::uint32_t seed);

}  // namespace lunglens::core::phantom
