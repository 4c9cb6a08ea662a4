#pragma once
// Small TorchScript models built in C++ (no Python) and written as model bundles, for the inference tests.
#include <filesystem>

#include "core/inference/manifest.h"

namespace lunglens::test {

enum class TinyVariant {
  Good,                  // conv-relu -> conv(stride 2)-relu = feature map -> global mean -> fc
  Brightness,            // Good's shape with fixed weights: the first class's logit = 20 * (mean input - 0.5)
  WrongClassCount,       // returns 2 logits
  NotTuple,              // returns the logits only
  LogitsIgnoreFeatures,  // logits computed from the layer before the returned feature map
  FlatFeatureMap,        // "feature map" is [N, F]
};

struct TinySpec {
  core::inference::Task task = core::inference::Task::Diagnosis;
  TinyVariant variant = TinyVariant::Good;
  int model_channels = 1;  // input channels the network expects
  int size = 32;           // input height = width
  int features = 8;
  double gate = 0.5;  // thresholds.covid
};

// A valid manifest for the spec (windows: level 0 / width 2000 per channel, mean 0, std 1), checksum unset.
core::inference::Manifest tinyManifest(const TinySpec& spec);

// Builds the network, saves <dir>/model.pt and a manifest.json with its sha256 (from tinyManifest unless given).
std::filesystem::path writeTinyBundle(const std::filesystem::path& dir, const TinySpec& spec);
std::filesystem::path writeTinyBundle(const std::filesystem::path& dir, const TinySpec& spec,
                                      core::inference::Manifest manifest);

// Writes manifest.json for `manifest` into `dir`, filling in the sha256 of the model.pt already there.
void writeManifestFor(const std::filesystem::path& dir, core::inference::Manifest manifest);

}  // namespace lunglens::test
