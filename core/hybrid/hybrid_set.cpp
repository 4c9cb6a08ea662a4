#include "core/hybrid/hybrid_set.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/hybrid/hybrid_phantom.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace ph = phantom;

double smallestFieldOfViewScale(const volume::Volume& volume) {
  constexpr double kChestWallMm = 25.0, kShiftMm = 15.0, kRotationMargin = 1.05;  // 10 degrees moves a corner ~5 %
  const lung::LungAnalysis a = lung::analyzeLungs(volume, lung::AnalysisOptions());
  const volume::Geometry& g = volume.geometry();
  const double cx = 0.5 * (g.cols - 1), cy = 0.5 * (g.rows - 1);
  double need = 0;  // the largest half-extent (lungs + wall + shift) as a fraction of the field's half-width
  for (int z = 0; z < g.slices; ++z) {
    if (!a.mask.sliceHasLung(z)) continue;
    const std::uint8_t* m = a.mask.slice(z);
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < g.cols; ++x) {
        if (!m[static_cast<std::size_t>(y) * g.cols + x]) continue;
        need = std::max(need, (std::abs(x - cx) * g.spacing_mm[0] + kChestWallMm + kShiftMm) / (cx * g.spacing_mm[0]));
        need = std::max(need, (std::abs(y - cy) * g.spacing_mm[1] + kChestWallMm + kShiftMm) / (cy * g.spacing_mm[1]));
      }
  }
  return std::clamp(need * kRotationMargin, 0.75, 1.15);
}

std::vector<Background> loadBackgrounds(const std::vector<std::filesystem::path>& dirs) {
  std::vector<Background> out;
  for (const auto& dir : dirs) {
    const dicom::Catalog catalog = dicom::scan(dir);
    int found = 0;
    for (const auto& series : catalog.series) {
      if (series.modality != "CT" || series.slices.size() < 8) continue;  // scouts and odd series are no chest
      auto volume = dicom::loadSeries(series);
      const double min_fov = smallestFieldOfViewScale(*volume);
      out.push_back({series, std::move(volume), min_fov});
      ++found;
    }
    if (found == 0) throw InputError(dir.string(), "no CT series of at least 8 slices to use as a background");
  }
  return out;
}

bool isHybridSubject(const ph::PhantomParams& params, double share) {
  return ph::Rng(params.seed).fork("hybrid-subject").uniform() < share;
}

std::function<ph::Phantom(int, const ph::PhantomParams&)> hybridSubjectMaker(std::vector<Background> backgrounds,
                                                                             double share, CancelToken cancel) {
  if (backgrounds.empty()) throw InputError("--backgrounds", "no background series");
  if (!(share >= 0.0 && share <= 1.0)) throw InputError("--hybrid-share", "must lie in 0..1");
  auto shared = std::make_shared<const std::vector<Background>>(std::move(backgrounds));
  return [shared, share, cancel](int i, const ph::PhantomParams& p) {
    if (!isHybridSubject(p, share)) return ph::generatePhantom(p, cancel);
    const Background& bg = (*shared)[static_cast<std::size_t>(i / 3) % shared->size()];
    ph::Rng rng = ph::Rng(p.seed).fork("hybrid-transform");
    HybridParams hp;
    hp.phantom = p;
    hp.transform.flip_left_right = rng.chance(0.5);
    hp.transform.shift_mm[0] = rng.uniform(-15.0, 15.0);
    hp.transform.shift_mm[1] = rng.uniform(-15.0, 15.0);
    hp.transform.extra_noise_hu = rng.uniform(0.0, 15.0);
    // Scanner and reconstruction: a subject's other scanner differs in field of view, slice thickness, kernel and
    // calibration (A0001: Philips 5 mm, 0.84 mm pixels; A0002: Siemens 8 mm B70f/B40f, 0.65 mm pixels).
    hp.transform.rotation_deg = rng.uniform(-10.0, 10.0);
    hp.transform.fov_scale = rng.uniform(std::min(bg.min_fov_scale, 1.15), 1.15);
    hp.transform.slab_slices = rng.chance(0.5) ? 2 : 1;
    hp.transform.sharpen = rng.uniform(-0.6, 1.5);
    hp.transform.hu_scale = rng.uniform(0.97, 1.03);
    hp.transform.hu_offset = rng.uniform(-20.0, 20.0);
    return makeHybridPhantom(bg.series, *bg.volume, hp, cancel);
  };
}

}  // namespace lunglens::core::hybrid
