#pragma once
// What a phantom is asked to show: diagnosis, findings, severity and the CT acquisition (slices, thickness, size).
// Also the finding vocabulary shared by the label volume, truth.json and labels.csv.
#include <cstdint>
#include <string>
#include <vector>

namespace lunglens::core::phantom {

// Bumped whenever the pixels a given seed produces change; part of every UID and of the demo study's stamp.
inline constexpr int kGeneratorVersion = 1;

enum class Diagnosis { Normal, Covid, OtherPneumonia };

// Finding types. The value is the label id in labels.nii.gz (0 = outside the lungs, 1 = lung without finding).
enum class Finding : std::uint8_t {
  Ggo = 2,                 // COVID-19: ground-glass opacity
  CrazyPaving = 3,         // COVID-19: GGO with superimposed reticulation (a GGO variant)
  Consolidation = 4,       // COVID-19: peripheral consolidation with air bronchograms
  FibroticStreaks = 5,     // COVID-19: subpleural / parenchymal bands
  LobarConsolidation = 6,  // other pneumonia: lobar or segmental consolidation
  Bronchopneumonia = 7,    // other pneumonia: patchy peribronchial opacities
  TreeInBud = 8,           // other pneumonia (tuberculosis): centrilobular nodules with branching
  Cavity = 9,              // other pneumonia (tuberculosis): thick-walled upper-lobe cavity
  Nodule = 10,             // incidental small solid nodule (no pneumonia)
};
inline constexpr std::uint8_t kLabelNone = 0;
inline constexpr std::uint8_t kLabelLung = 1;
inline constexpr int kLabelCount = 11;

const std::vector<Finding>& allFindings();
std::string findingName(Finding f);  // "ggo", "crazy_paving", ...
// Parses a finding name; throws InputError naming `context` for an unknown one.
Finding parseFinding(const std::string& name, const std::string& context = "--manifestations");
// The diagnosis a finding belongs to (Nodule -> Normal).
Diagnosis findingDiagnosis(Finding f);
// The class the COVID manifestation model uses for a finding: crazy paving counts as GGO; non-COVID findings map
// to themselves.
Finding manifestationClass(Finding f);

std::string diagnosisName(Diagnosis d);  // "covid", "other_pneumonia", "normal"
Diagnosis parseDiagnosis(const std::string& name);  // throws InputError for anything else

enum class Kernel { Soft, Sharp };

struct PhantomParams {
  std::uint64_t seed = 1;
  Diagnosis diagnosis = Diagnosis::Covid;
  // Findings to show; empty = the usual mix for the diagnosis (drawn from the seed for other pneumonia).
  std::vector<Finding> manifestations;
  double severity = 0.3;      // target fraction of lung volume involved, 0..1 (ignored for normal)
  int slices = 120;           // the series covers the whole chest whatever the count
  double thickness_mm = 0.0;  // reconstructed slice thickness; 0 = the slice spacing
  int size = 512;             // rows = columns
  Kernel kernel = Kernel::Soft;
  double noise_sigma_hu = 0.0;  // 0 = drawn from the seed in 10..30 HU
  bool fissures = true;
  int threads = 0;  // 0 = all cores; never changes the result
  // Hybrid phantoms (core/hybrid): a canonical description of the real series the findings were inserted into and
  // of its transform. Empty for the stylised phantom. Part of canonical(), hence of the UIDs.
  std::string background;

  // Throws InputError naming the offending parameter.
  void validate() const;
  // A canonical one-line description of everything that affects the pixels (threads excluded): hashed into UIDs.
  std::string canonical() const;
  // The findings actually used (manifestations, or the default mix for the diagnosis and seed).
  std::vector<Finding> effectiveFindings() const;
};

}  // namespace lunglens::core::phantom
