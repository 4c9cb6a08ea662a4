#include "core/hybrid/hybrid_phantom.h"

#include <cmath>

#include "core/common/error.h"
#include "core/hybrid/insert_findings.h"
#include "core/hybrid/mask_lung_geometry.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/findings.h"
#include "core/phantom/random.h"

namespace lunglens::core::hybrid {

namespace ph = phantom;

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
  const double thickness = params.transform.thickness_mm(
      series.slice_thickness_mm > 0 ? series.slice_thickness_mm : g.spacing_mm[2], g.spacing_mm[2]);
  Insertion inserted = insertFindings(*bg, lungs, findings, thickness, p.threads, cancel);

  ph::Phantom out;
  out.params = p;
  out.layout.geometry = bg->geometry();
  out.layout.thickness_mm = thickness;
  out.volume = std::move(inserted.volume);
  out.labels = std::move(inserted.labels);
  out.findings = findings.types;
  out.slices.resize(static_cast<std::size_t>(g.slices));
  const std::size_t n = g.voxelsPerSlice();
  for (int k = 0; k < g.slices; ++k)
    out.slices[static_cast<std::size_t>(k)] = ph::sliceTruthFromLabels(
        k, z[static_cast<std::size_t>(k)], out.labels.data() + static_cast<std::size_t>(k) * n, n);
  out.subject.lung_height_mm = lungs.zHigh() - lungs.zLow();
  out.noise_sigma_hu = params.transform.extra_noise_hu;
  return out;
}

}  // namespace lunglens::core::hybrid
