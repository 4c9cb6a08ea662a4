#pragma once
// Hand-set (untrained) TorchScript models written as model bundles, for the AI panel's tests, benchmark and
// development until the trained demo models exist. They look for ground-glass-like lung density: input channel 0
// windows [-650, -250] HU to [0, 1], channel 1 is 1 for anything denser than about -230 HU, and the feature map is
// relu(ch0 - ch1 - 0.1) averaged over 4 x 4 blocks: bright where a pixel lies between aerated lung and soft
// tissue (GGO; thin partial-volume edges a little), dark in air, aerated lung, soft tissue and bone. The COVID logit
// grows with the feature map's mean, so slices with more ground-glass score higher and Grad-CAM points at it.
#include <filesystem>

#include "core/inference/manifest.h"

namespace lunglens::test {

struct DevBundles {
  std::filesystem::path diagnosis;
  std::filesystem::path manifestation;
};

// Writes <root>/dev-diagnosis and <root>/dev-manifestation (model.pt + manifest.json, sha256 filled in).
DevBundles writeDevBundles(const std::filesystem::path& root);

// The COVID logit is covid_gain * mean(feature map) - covid_offset; exposed for tests that check scores.
constexpr double kDevCovidGain = 300.0;
constexpr double kDevCovidOffset = 1.5;

}  // namespace lunglens::test
