#pragma once
// A loaded, validated model bundle, ready to score preprocessed slices and to explain them with Grad-CAM.
// LibTorch stays behind the pimpl: this header is plain C++ (the UI includes it).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/inference/heatmap.h"
#include "core/inference/manifest.h"
#include "core/inference/ood_guard.h"

namespace lunglens::core::inference {

// Sets LibTorch's intra-op thread count (process-wide; the UI passes cores - 1 to keep one for itself) and, the
// first time only, the inter-op pool to 1 thread (LibTorch allows that once, before any parallel work).
// threads <= 0: defaultThreadCount() - 1, at least 1. Returns the count in effect.
int configureInferenceThreads(int threads);
int inferenceThreads();

struct ModelOptions {
  // Scoring path: freeze (BN folded into conv) + optimize_for_inference (oneDNN prepacked convs, fused conv+ReLU).
  // Grad-CAM always uses the unfrozen module (it needs the autograd graph).
  bool optimize = true;
  bool channels_last = false;  // feed the scoring path NHWC tensors
};

class Model {
 public:
  // Loads and validates the bundle: manifest (schema + values), sha256 of model.pt, TorchScript load, and a dry
  // forward checking the output tuple, the logits' class count, the feature map's rank and that the logits depend
  // on the feature map. Every failure throws InputError naming the bundle folder and the field or file.
  static std::shared_ptr<Model> load(const std::filesystem::path& bundle_dir, const ModelOptions& options = {});
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const Manifest& manifest() const;
  const std::filesystem::path& dir() const;
  std::size_t valuesPerImage() const { return manifest().input.valuesPerImage(); }
  // Which execution paths load() settled on, e.g. "scoring: frozen+optimized; Grad-CAM: frozen".
  const std::string& executionPaths() const;

  // Probabilities (softmax or sigmoid per the manifest) for `n` preprocessed images laid out [n][C][H][W]:
  // n * classes floats, image-major. Runs under InferenceMode; safe to call from one thread at a time per model.
  std::vector<float> predict(const float* images, int n) const;
  // Same, and the global average pool of the feature map per image into `features` (n * featureLength()):
  // what the OOD guard scores.
  std::vector<float> predict(const float* images, int n, std::vector<float>* features) const;
  int featureLength() const;

  // The bundle's out-of-distribution guard (ood_guard.json), or null when the bundle has none.
  const OodGuard* oodGuard() const;

  struct Explained {
    std::vector<float> probabilities;  // of this image, recomputed by the Grad-CAM forward
    Heatmap heatmap;
  };
  // Grad-CAM (Selvaraju et al. 2017) for one preprocessed image and class (-1 = the predicted class): a fresh
  // forward with gradients on, in eval mode; weights = spatial mean of d(logit)/d(feature map), map = ReLU of the
  // weighted sum of the feature maps, divided by (its maximum + 1e-7).
  Explained explain(const float* image, int class_index = -1) const;

 private:
  struct Impl;
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

using ModelPtr = std::shared_ptr<const Model>;

}  // namespace lunglens::core::inference
