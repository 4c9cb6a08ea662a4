#include "core/phantom/params.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/common/error.h"
#include "core/phantom/random.h"

namespace lunglens::core::phantom {

const std::vector<Finding>& allFindings() {
  static const std::vector<Finding> all{Finding::Ggo,
                                        Finding::CrazyPaving,
                                        Finding::Consolidation,
                                        Finding::FibroticStreaks,
                                        Finding::LobarConsolidation,
                                        Finding::Bronchopneumonia,
                                        Finding::TreeInBud,
                                        Finding::Cavity,
                                        Finding::Nodule};
  return all;
}

std::string findingName(Finding f) {
  switch (f) {
    case Finding::Ggo: return "ggo";
    case Finding::CrazyPaving: return "crazy_paving";
    case Finding::Consolidation: return "consolidation";
    case Finding::FibroticStreaks: return "fibrotic_streaks";
    case Finding::LobarConsolidation: return "lobar_consolidation";
    case Finding::Bronchopneumonia: return "bronchopneumonia";
    case Finding::TreeInBud: return "tree_in_bud";
    case Finding::Cavity: return "cavity";
    case Finding::Nodule: return "nodule";
  }
  return "unknown";
}

Finding parseFinding(const std::string& name, const std::string& context) {
  for (Finding f : allFindings())
    if (findingName(f) == name) return f;
  std::string known;
  for (Finding f : allFindings()) known += (known.empty() ? "" : ", ") + findingName(f);
  throw InputError(context, "unknown finding '" + name + "' (known: " + known + ")");
}

Diagnosis findingDiagnosis(Finding f) {
  switch (f) {
    case Finding::Ggo:
    case Finding::CrazyPaving:
    case Finding::Consolidation:
    case Finding::FibroticStreaks: return Diagnosis::Covid;
    case Finding::Nodule: return Diagnosis::Normal;
    default: return Diagnosis::OtherPneumonia;
  }
}

Finding manifestationClass(Finding f) { return f == Finding::CrazyPaving ? Finding::Ggo : f; }

std::string diagnosisName(Diagnosis d) {
  switch (d) {
    case Diagnosis::Normal: return "normal";
    case Diagnosis::Covid: return "covid";
    case Diagnosis::OtherPneumonia: return "other_pneumonia";
  }
  return "unknown";
}

Diagnosis parseDiagnosis(const std::string& name) {
  for (Diagnosis d : {Diagnosis::Normal, Diagnosis::Covid, Diagnosis::OtherPneumonia})
    if (diagnosisName(d) == name) return d;
  throw InputError("--diagnosis", "unknown diagnosis '" + name + "' (known: covid, other_pneumonia, normal)");
}

void PhantomParams::validate() const {
  if (!(severity >= 0.0 && severity <= 1.0)) throw InputError("--severity", "must lie in 0..1");
  if (slices < 1 || slices > 2000) throw InputError("--slices", "must lie in 1..2000");
  if (size < 64 || size > 1024) throw InputError("--size", "must lie in 64..1024");
  if (!(thickness_mm >= 0.0 && thickness_mm <= 20.0)) throw InputError("--thickness", "must lie in 0..20 mm");
  if (!(noise_sigma_hu >= 0.0 && noise_sigma_hu <= 200.0)) throw InputError("--noise", "must lie in 0..200 HU");
  for (Finding f : manifestations) {
    const Diagnosis owner = findingDiagnosis(f);
    if (owner != Diagnosis::Normal && owner != diagnosis)
      throw InputError("--manifestations", "'" + findingName(f) + "' is a finding of " + diagnosisName(owner) +
                                               ", not of " + diagnosisName(diagnosis));
  }
}

std::string PhantomParams::canonical() const {
  std::ostringstream s;
  s << "v" << kGeneratorVersion << ";seed=" << seed << ";dx=" << diagnosisName(diagnosis) << ";m=";
  for (Finding f : effectiveFindings()) s << findingName(f) << ',';
  s << ";sev=" << std::lround(severity * 1000) << ";n=" << slices << ";t=" << std::lround(thickness_mm * 1000)
    << ";size=" << size << ";k=" << (kernel == Kernel::Soft ? "soft" : "sharp")
    << ";noise=" << std::lround(noise_sigma_hu * 100) << ";fis=" << fissures;
  if (!background.empty()) s << ";bg=" << background;
  return s.str();
}

std::vector<Finding> PhantomParams::effectiveFindings() const {
  if (!manifestations.empty()) {
    std::vector<Finding> out = manifestations;
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  switch (diagnosis) {
    case Diagnosis::Normal: return {};
    case Diagnosis::Covid: return {Finding::Ggo, Finding::Consolidation, Finding::FibroticStreaks};
    case Diagnosis::OtherPneumonia: {
      // One pattern per subject, drawn from the seed: lobar pneumonia, bronchopneumonia or tuberculosis.
      Rng rng(seed ^ 0x07e4ull);
      const double u = rng.uniform();
      if (u < 0.4) return {Finding::LobarConsolidation};
      if (u < 0.7) return {Finding::Bronchopneumonia};
      return rng.chance(0.6) ? std::vector<Finding>{Finding::TreeInBud, Finding::Cavity}
                             : std::vector<Finding>{Finding::TreeInBud};
    }
  }
  return {};
}

}  // namespace lunglens::core::phantom
