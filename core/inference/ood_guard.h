#pragma once
// The out-of-distribution guard of a model bundle (ood_guard.json beside model.pt): does a slice resemble the
// slices the model was trained on? Method: Lee et al. 2018, "A Simple Unified Framework for Detecting
// Out-of-Distribution Samples and Adversarial Attacks" (NeurIPS): class-conditional Gaussians with one shared
// covariance over the model's features; a slice's score is its smallest Mahalanobis distance to a class mean; the
// threshold is a high quantile (default the 99th percentile) of the scores of the validation slices, which the fit
// never saw. Features: the global average pool of the bundle's feature-map output (the Grad-CAM map), so every
// bundle has them without re-exporting its model. Plain C++: scoring is a small matrix-vector product.
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::core::inference {

struct OodGuard {
  std::string method = "mahalanobis-shared-covariance";
  std::string features = "feature_map_global_average_pool";
  std::string model_sha256;        // the model.pt it was fitted for (a guard of another model is refused)
  int dim = 0;                     // feature length
  std::vector<std::string> classes;
  std::vector<std::vector<float>> means;  // per class, dim each
  std::vector<float> precision;    // dim * dim, row-major: inverse of the (shrunk) shared covariance
  double shrinkage = 0;            // covariance = (1 - s) * sample + s * mean(diag) * I
  double threshold = 0;            // score above this = out of distribution
  double threshold_quantile = 0.99;
  int training_slices = 0, validation_slices = 0;
  double validation_flag_rate = 0;  // share of validation slices above the threshold (about 1 - quantile)

  // Smallest squared Mahalanobis distance to a class mean of one feature vector (dim floats).
  double score(const float* features) const;
  bool outOfDistribution(double score_value) const { return !(score_value <= threshold); }  // NaN is out
};

// Reads and validates ood_guard.json. Throws InputError naming the file and field. `expected_model_sha256`
// (non-empty) must match the guard's.
OodGuard readOodGuard(const std::filesystem::path& file, const std::string& expected_model_sha256 = "");
void writeOodGuard(const OodGuard& guard, const std::filesystem::path& file);  // atomically (temp + rename)

// Fits a guard: `train` and `validation` are feature rows (dim floats each) with their class indices.
// Throws InputError when there are too few rows (fewer than 2 per class seen, or no validation rows).
OodGuard fitOodGuard(const std::vector<float>& train, const std::vector<int>& train_labels,
                     const std::vector<float>& validation, int dim, const std::vector<std::string>& classes,
                     double quantile = 0.99, double shrinkage = 0.05);

// What a series' slices say together. `out_of_distribution`: most (more than half) of its eligible scored slices
// are flagged.
struct OodSummary {
  bool guarded = false;  // the model has a guard
  int scored = 0, flagged = 0;
  double flaggedFraction() const { return scored ? static_cast<double>(flagged) / scored : 0.0; }
  bool out_of_distribution = false;
};

// The one place where "this series does not resemble the training data" is decided.
OodSummary summarizeOod(bool guarded, const std::vector<bool>& flagged_per_scored_slice);

// The words every surface uses (AI panel, CLI, exports, SR, library), kept here so they cannot drift apart.
// The headline when a series is out of distribution: "This series does not resemble ... — scores withheld".
const char* oodWithheldHeadline();
// The one-line forms for a scores box: "Withheld: unlike the training data" / "... shown anyway".
const char* oodWithheldShort();
const char* oodShownAnywayShort();
// The counts in words: "12 of 40 lung slices unlike the training data", or that the model has no guard.
std::string oodCountsText(const OodSummary& summary);

}  // namespace lunglens::core::inference
