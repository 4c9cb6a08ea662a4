#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Writes a trained network as a model bundle (docs/MODEL_BUNDLE.md): <dir>/model.pt (torchscript_export.h, BN
// folded, forward -> (logits, feature_map)) and <dir>/manifest.json with model_sha256 filled in.
#include <filesystem>

#include "core/inference/manifest.h"
#include "core/training/classifier_net.h"

namespace lunglens::core::training {

// `manifest` supplies name, version, task, classes, input (windows, size, mean/std), thresholds and provenance;
// architecture is filled from the network when empty, model_sha256 always. Checks before writing anything: the
// manifest validates (inference::parseManifest), its class count equals the network's, the input has 3 channels.
// Refuses to replace existing files unless `overwrite`. Throws InputError naming the folder.
void writeBundle(const ClassifierNet& net, inference::Manifest manifest, const std::filesystem::path& dir,
                 bool overwrite);

}  // namespace lunglens::core::training
