#include "core/phantom/findings.h"

#include "core/phantom/finding_placer.h"

namespace lunglens::core::phantom {

namespace detail {

Findings Placer::run() {
  const std::vector<Finding> types = params_.effectiveFindings();
  auto has = [&](Finding f) { return std::find(types.begin(), types.end(), f) != types.end(); };
  if (params_.diagnosis == Diagnosis::Covid) covid(types);
  if (has(Finding::LobarConsolidation)) lobar();
  if (has(Finding::Bronchopneumonia)) bronchopneumonia();
  if (has(Finding::TreeInBud) || has(Finding::Cavity)) tuberculosis(has(Finding::TreeInBud), has(Finding::Cavity));
  if (has(Finding::Nodule)) nodules();
  for (const Blob& b : out_.blobs) out_.types.push_back(b.type);
  for (const LesionTube& t : out_.tubes) out_.types.push_back(t.type);
  std::sort(out_.types.begin(), out_.types.end());
  out_.types.erase(std::unique(out_.types.begin(), out_.types.end()), out_.types.end());
  return out_;
}

}  // namespace detail

int labelPriority(std::uint8_t label) {
  switch (static_cast<Finding>(label)) {
    case Finding::Cavity: return 9;
    case Finding::LobarConsolidation: return 8;
    case Finding::Consolidation: return 7;
    case Finding::Bronchopneumonia: return 6;
    case Finding::Nodule: return 5;
    case Finding::TreeInBud: return 4;
    case Finding::FibroticStreaks: return 3;
    case Finding::CrazyPaving: return 2;
    case Finding::Ggo: return 1;
  }
  return 0;
}

float lesionNoise(V3 p, std::uint32_t seed) {
  return fbm3(static_cast<float>(p.x / 9.0), static_cast<float>(p.y / 9.0), static_cast<float>(p.z / 9.0),
              seed ^ 0xb10bu, 2);
}

double blobWeight(const Blob& b, V3 p, double n) {
  const V3 d = p - b.centre;
  const double u = b.inv[0][0] * d.x + b.inv[0][1] * d.y + b.inv[0][2] * d.z;
  const double v = b.inv[1][0] * d.x + b.inv[1][1] * d.y + b.inv[1][2] * d.z;
  const double w = b.inv[2][0] * d.x + b.inv[2][1] * d.y + b.inv[2][2] * d.z;
  const double s = 1.0 - std::sqrt(u * u + v * v + w * w) + b.noise_amp * (n - 0.5);
  return detail::smoothstep(-0.5 * b.edge, 0.5 * b.edge, s);
}

double blobAirWeight(const Blob& b, V3 p, double n) {
  if (b.inner <= 0) return 0.0;
  const V3 d = p - b.centre;
  const double u = b.inv[0][0] * d.x + b.inv[0][1] * d.y + b.inv[0][2] * d.z;
  const double v = b.inv[1][0] * d.x + b.inv[1][1] * d.y + b.inv[1][2] * d.z;
  const double w = b.inv[2][0] * d.x + b.inv[2][1] * d.y + b.inv[2][2] * d.z;
  const double s = b.inner - std::sqrt(u * u + v * v + w * w) + 0.5 * b.noise_amp * (n - 0.5);
  return detail::smoothstep(-0.5 * b.edge, 0.5 * b.edge, s / b.inner * 0.5);
}

Findings placeFindings(const LungGeometry& subject, const PhantomParams& params) {
  if (params.effectiveFindings().empty()) return {};
  detail::Placer placer(subject, params);
  return placer.run();
}

}  // namespace lunglens::core::phantom