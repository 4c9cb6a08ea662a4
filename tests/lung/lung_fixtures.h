#pragma once
// Shared helpers for the lung tests: phantoms generated in-process and their truth from the label volume.
#include <cstdint>
#include <vector>

#include "core/lung/lung_analysis.h"
#include "core/phantom/generator.h"

namespace lunglens::test {

struct PhantomCase {
  std::uint64_t seed;
  core::phantom::Diagnosis diagnosis;
  int size, slices;
  double thickness_mm;
  core::phantom::Kernel kernel;
  std::vector<core::phantom::Finding> findings;  // empty = the diagnosis' usual mix
  double severity = 0.3;
};
core::phantom::PhantomParams paramsFor(const PhantomCase& c);

// Label ids counted as ground glass / consolidation truth (docs/LUNG.md, "Phantom truth").
bool isGgoLabel(std::uint8_t id);
bool isConsolidationLabel(std::uint8_t id);
// Bronchopneumonia (id 7): a patchy pattern of mixed density with no ground-glass / consolidation truth of its own,
// so its voxels are left out of both sides of the opacity volume comparison (neither truth nor found).
inline bool isExcludedFromOpacity(std::uint8_t id) { return id == 7; }

struct Agreement {
  double dice = 0;
  double truth_ml = 0, found_ml = 0;
  double ggo_truth_ml = 0, ggo_found_ml = 0, cons_truth_ml = 0, cons_found_ml = 0;
  double missed_ml[11] = {};  // truth voxels outside the mask, per label id (1 = aerated lung, 2.. findings)
  double extra_ml = 0;        // mask voxels outside the truth
  double extra_air_ml = 0;    // ... of them below -400 HU (airways, gas, partial-volume rims)
  // mL of each truth label id (0..10) counted as [0] nothing (inside the mask), [1] ground glass, [2] consolidation:
  // where the opacity volume errors come from.
  double counted_ml[3][11] = {};
};
// Dice of the lung mask (any zone) against labels >= 1, and the opacity volumes: found = the mask's opacity voxels,
// except those whose truth is excluded (isExcludedFromOpacity).
Agreement agreement(const core::phantom::Phantom& ph, const core::lung::LungAnalysis& a);

}  // namespace lunglens::test
