#include "tests/lung/lung_fixtures.h"

#include <cstdio>
#include <cstdlib>

namespace lunglens::test {

namespace ph = core::phantom;

ph::PhantomParams paramsFor(const PhantomCase& c) {
  ph::PhantomParams p;
  p.seed = c.seed;
  p.diagnosis = c.diagnosis;
  p.manifestations = c.findings;
  p.severity = c.diagnosis == ph::Diagnosis::Normal ? 0.0 : c.severity;
  p.size = c.size;
  p.slices = c.slices;
  p.thickness_mm = c.thickness_mm;
  p.kernel = c.kernel;
  p.threads = 2;
  return p;
}

bool isGgoLabel(std::uint8_t id) { return id == 2 || id == 3; }
bool isConsolidationLabel(std::uint8_t id) { return id == 4 || id == 6; }

Agreement agreement(const ph::Phantom& phantom, const core::lung::LungAnalysis& a) {
  const auto& g = phantom.volume->geometry();
  const double voxel_ml = g.spacing_mm[0] * g.spacing_mm[1] * g.spacing_mm[2] / 1000.0;
  std::int64_t t = 0, f = 0, both = 0, ggo = 0, cons = 0;
  std::int64_t missed[11] = {}, extra_air = 0, ggo_found = 0, cons_found = 0;
  std::int64_t counted[3][11] = {};
  const auto& v = *phantom.volume;
  for (std::size_t i = 0; i < phantom.labels.size(); ++i) {
    const bool in_truth = phantom.labels[i] >= 1;
    const bool in_mask = a.mask.labels[i] != 0;
    t += in_truth, f += in_mask, both += in_truth && in_mask;
    if (in_truth && !in_mask && phantom.labels[i] < 11) ++missed[phantom.labels[i]];
    if (in_mask && !in_truth && v.slice(static_cast<int>(i / g.voxelsPerSlice()))[i % g.voxelsPerSlice()] < -400)
      ++extra_air;
    ggo += isGgoLabel(phantom.labels[i]);
    cons += isConsolidationLabel(phantom.labels[i]);
    const std::uint8_t found = a.mask.opacity[i];
    if (in_mask && found < 3 && phantom.labels[i] < 11) ++counted[found][phantom.labels[i]];
    if (isExcludedFromOpacity(phantom.labels[i])) continue;
    ggo_found += found == 1;
    cons_found += found == 2;
  }
  Agreement r;
  r.dice = (t + f) ? 2.0 * static_cast<double>(both) / static_cast<double>(t + f) : 0.0;
  r.truth_ml = static_cast<double>(t) * voxel_ml;
  r.found_ml = static_cast<double>(f) * voxel_ml;
  r.ggo_truth_ml = static_cast<double>(ggo) * voxel_ml;
  r.cons_truth_ml = static_cast<double>(cons) * voxel_ml;
  for (int id = 0; id < 11; ++id) {
    r.missed_ml[id] = static_cast<double>(missed[id]) * voxel_ml;
    for (int c = 0; c < 3; ++c) r.counted_ml[c][id] = static_cast<double>(counted[c][id]) * voxel_ml;
  }
  r.extra_ml = static_cast<double>(f - both) * voxel_ml;
  r.extra_air_ml = static_cast<double>(extra_air) * voxel_ml;
  if (std::getenv("LUNGLENS_LUNG_DEBUG")) {
    for (int z = 0; z < g.slices; ++z) {
      std::int64_t fp = 0, fn = 0, tt = 0;
      for (std::size_t j = 0; j < g.voxelsPerSlice(); ++j) {
        const std::size_t i = static_cast<std::size_t>(z) * g.voxelsPerSlice() + j;
        fp += a.mask.labels[i] && !phantom.labels[i];
        fn += !a.mask.labels[i] && phantom.labels[i];
        tt += phantom.labels[i] != 0;
      }
      std::fprintf(stderr, "z %d truth %.1f fp %.1f fn %.1f\n", z, tt * voxel_ml, fp * voxel_ml, fn * voxel_ml);
    }
  }
  r.ggo_found_ml = static_cast<double>(ggo_found) * voxel_ml;
  r.cons_found_ml = static_cast<double>(cons_found) * voxel_ml;
  return r;
}

}  // namespace lunglens::test
