#include "core/hybrid/hybrid_phantom.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/common/error.h"
#include "core/hybrid/insert_findings.h"
#include "core/hybrid/mask_lung_geometry.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/findings.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace ph = phantom;

std::string BackgroundTransform::canonical() const {
  std::ostringstream s;
  s << "flip=" << flip_left_right << ",dx=" << std::lround(shift_mm[0] * 10) << ",dy=" << std::lround(shift_mm[1] * 10)
    << ",noise=" << std::lround(extra_noise_hu * 10);
  return s.str();
}

std::shared_ptr<volume::Volume> transformBackground(const volume::Volume& in, const BackgroundTransform& t,
                                                   std::uint64_t seed) {
  const volume::Geometry& g = in.geometry();
  std::vector<double> positions(static_cast<std::size_t>(g.slices));
  for (int k = 0; k < g.slices; ++k) positions[static_cast<std::size_t>(k)] = in.slicePosition_mm(k);
  auto out = std::make_shared<volume::Volume>(g, positions);
  const int di = static_cast<int>(std::lround(t.shift_mm[0] / g.spacing_mm[0]));
  const int dj = static_cast<int>(std::lround(t.shift_mm[1] / g.spacing_mm[1]));
  for (int k = 0; k < g.slices; ++k) {
    const std::int16_t* src = in.slice(k);
    std::int16_t* dst = out->mutableSlice(k);
    ph::Rng rng = ph::Rng(seed).fork("hybrid-noise-" + std::to_string(k));
    for (int j = 0; j < g.rows; ++j)
      for (int i = 0; i < g.cols; ++i) {
        int si = i - di, sj = j - dj;
        if (t.flip_left_right) si = g.cols - 1 - si;
        // Outside the source: air (what surrounds a patient), not a smeared edge.
        double v = (si < 0 || sj < 0 || si >= g.cols || sj >= g.rows)
                       ? -1000.0
                       : src[static_cast<std::size_t>(sj) * g.cols + si];
        if (t.extra_noise_hu > 0) v += t.extra_noise_hu * rng.normal();
        dst[static_cast<std::size_t>(j) * g.cols + i] = static_cast<std::int16_t>(std::clamp(std::lround(v), -1024L, 3071L));
      }
    out->markSliceReady(k);
  }
  return out;
}

ph::Phantom makeHybridPhantom(const dicom::SeriesInfo& series, const volume::Volume& background,
                              const HybridParams& params, const CancelToken& cancel) {
  if (!background.complete()) throw InputError(series.series_uid, "the background series is not completely loaded");
  const volume::Geometry& g = background.geometry();
  for (int k = 1; k < g.slices; ++k) {
    const double step = background.slicePosition_mm(k) - background.slicePosition_mm(k - 1);
    if (std::abs(step - g.spacing_mm[2]) > 0.05 * g.spacing_mm[2] + 0.01)
      throw InputError(series.series_uid, "the background series has uneven slice spacing (a gap near slice " +
                                              std::to_string(k) + "): hybrid phantoms need evenly spaced slices");
  }
  ph::PhantomParams p = params.phantom;
  if (p.diagnosis == ph::Diagnosis::Normal) p.severity = 0.0;
  // The background and its transform are part of the subject's identity (UIDs) and of truth.json.
  p.background = "series=" + series.series_uid + ";" + params.transform.canonical();
  const auto bg = transformBackground(background, params.transform, p.seed);
  cancel.throwIfCancelled();
  lung::AnalysisOptions options;
  options.threads = p.threads;
  const lung::LungAnalysis analysis = lung::analyzeLungs(*bg, options, cancel);  // "no lungs found" is its error
  std::vector<double> z(static_cast<std::size_t>(g.slices));
  for (int k = 0; k < g.slices; ++k) z[static_cast<std::size_t>(k)] = bg->slicePosition_mm(k);
  const MaskLungGeometry lungs(analysis.mask, z, p.seed);
  const ph::Findings findings = p.diagnosis == ph::Diagnosis::Normal ? ph::Findings{} : ph::placeFindings(lungs, p);
  cancel.throwIfCancelled();
  const double thickness = series.slice_thickness_mm > 0 ? series.slice_thickness_mm : g.spacing_mm[2];
  Insertion inserted = insertFindings(*bg, lungs, findings, thickness, p.threads, cancel);

  ph::Phantom out;
  out.params = p;
  out.layout.geometry = g;
  out.layout.thickness_mm = thickness;
  out.volume = std::move(inserted.volume);
  out.labels = std::move(inserted.labels);
  out.findings = findings.types;
  out.slices.resize(static_cast<std::size_t>(g.slices));
  const std::size_t n = g.voxelsPerSlice();
  for (int k = 0; k < g.slices; ++k)
    out.slices[static_cast<std::size_t>(k)] =
        ph::sliceTruthFromLabels(k, z[static_cast<std::size_t>(k)], out.labels.data() + static_cast<std::size_t>(k) * n, n);
  out.subject.lung_height_mm = lungs.zHigh() - lungs.zLow();
  out.noise_sigma_hu = params.transform.extra_noise_hu;
  return out;
}

}  // namespace lunglens::core::hybrid
