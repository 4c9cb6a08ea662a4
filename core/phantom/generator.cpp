#include "core/phantom/generator.h"

#include <cstdio>

#include "core/common/parallel.h"
#include "core/phantom/anatomy.h"
#include "core/phantom/findings.h"
#include "core/phantom/image_formation.h"
#include "core/phantom/random.h"

namespace lunglens::core::phantom {

SliceTruth sliceTruthFromLabels(int k, double z, const std::uint8_t* labels, std::size_t n) {
  SliceTruth t;
  t.index = k;
  t.z_mm = z;
  for (std::size_t i = 0; i < n; ++i) ++t.voxels_by_label[labels[i] < kLabelCount ? labels[i] : 0];
  std::int64_t involved = 0;
  for (int l = 1; l < kLabelCount; ++l) t.lung_voxels += t.voxels_by_label[static_cast<std::size_t>(l)];
  bool covid = false, other = false;
  std::array<std::int64_t, kLabelCount> by_class{};
  for (Finding f : allFindings()) {
    const std::int64_t v = t.voxels_by_label[static_cast<std::size_t>(f)];
    if (v == 0) continue;
    involved += v;
    t.findings.push_back(f);
    covid |= findingDiagnosis(f) == Diagnosis::Covid;
    other |= findingDiagnosis(f) == Diagnosis::OtherPneumonia;
    by_class[static_cast<std::size_t>(manifestationClass(f))] += v;
  }
  t.involved_fraction = t.lung_voxels ? static_cast<double>(involved) / t.lung_voxels : 0.0;
  t.label = covid ? Diagnosis::Covid : (other ? Diagnosis::OtherPneumonia : Diagnosis::Normal);
  // Dominant manifestation: among the study-relevant findings (COVID ones on a COVID slice), the largest class.
  std::int64_t best = 0;
  for (Finding f : allFindings()) {
    const std::int64_t v = by_class[static_cast<std::size_t>(f)];
    if (v == 0 || (covid && findingDiagnosis(f) != Diagnosis::Covid)) continue;
    if (v > best) best = v, t.dominant = f;
  }
  return t;
}

Phantom generatePhantom(const PhantomParams& params, const CancelToken& cancel) {
  params.validate();
  Phantom ph;
  ph.params = params;
  const Subject subject(params.seed, params.fissures);
  cancel.throwIfCancelled();
  const Findings findings = placeFindings(subject, params);
  cancel.throwIfCancelled();
  ph.findings = findings.types;
  ph.layout = layoutFor(subject, params);
  const auto s = subject.summary();
  ph.subject = {s.body_width_mm, s.body_depth_mm, s.lung_height_mm, s.breath_level, s.heart_scale, s.fat_mm,
                s.noise_sigma_hu};
  ph.noise_sigma_hu = params.noise_sigma_hu > 0 ? params.noise_sigma_hu : subject.noiseSigmaHu();

  const volume::Geometry& g = ph.layout.geometry;
  ph.volume = std::make_shared<volume::Volume>(g);
  ph.labels.assign(g.voxelCount(), 0);
  ph.slices.resize(static_cast<std::size_t>(g.slices));
  const SliceRenderer renderer(subject, findings, ph.layout);
  const std::size_t n = g.voxelsPerSlice();
  const int threads = params.threads > 0 ? params.threads : defaultThreadCount();
  parallelFor(
      0, g.slices, threads,
      [&](int k) {
        std::vector<float> clean(n);
        std::uint8_t* labels = ph.labels.data() + static_cast<std::size_t>(k) * n;
        renderer.render(k, clean.data(), labels);
        const auto noise_seed = static_cast<std::uint32_t>(mix64(params.seed * 0x9e37u + static_cast<std::uint64_t>(k)));
        formImage(clean.data(), g.cols, g.rows, params.kernel, ph.noise_sigma_hu, noise_seed, ph.volume->mutableSlice(k));
        ph.slices[static_cast<std::size_t>(k)] = sliceTruthFromLabels(k, ph.layout.sliceZ(k), labels, n);
        ph.volume->markSliceReady(k);
      },
      cancel);
  return ph;
}

std::string pixelDigest(const volume::Volume& volume) {
  std::uint64_t h = 1469598103934665603ull;
  const auto* bytes = reinterpret_cast<const unsigned char*>(volume.slice(0));
  for (std::size_t i = 0; i < volume.bytes(); ++i) {
    h ^= bytes[i];
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace lunglens::core::phantom
