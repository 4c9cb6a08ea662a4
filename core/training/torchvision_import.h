#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Loads a torchvision model's weights into a ClassifierNet by name. Accepted files (docs/TRAINING.md;
// scripts/python/export_torchvision.py writes both):
//   - a TorchScript file of the torchvision model (torch.jit.script(model) or torch.jit.trace, then torch.jit.save);
//   - a plain dict of its state dict saved with torch.save(dict(model.state_dict()), path) (zip format). A bare
//     torch.save(model.state_dict()) is an OrderedDict with _metadata, which LibTorch 1.13's unpickler rejects.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/training/classifier_net.h"

namespace lunglens::core::training {

// Name -> tensor of every parameter and buffer in the file. Throws InputError (naming the file) if unreadable.
std::map<std::string, torch::Tensor> readTorchvisionStateDict(const std::filesystem::path& file);

struct WeightLoadReport {
  std::vector<std::string> loaded;        // every parameter/buffer name copied
  std::vector<std::string> head_skipped;  // head tensors left freshly initialised (class count differs)
};

// Copies every parameter and buffer of `net` from `weights` by name; shapes must match exactly, except the head
// (net.headPrefix()), which is skipped when its shape differs (the task has its own classes). A missing name, a
// shape mismatch outside the head or a name in the file that the network lacks is an InputError naming it.
WeightLoadReport loadStateDict(ClassifierNet& net, const std::map<std::string, torch::Tensor>& weights,
                               const std::string& context);

}  // namespace lunglens::core::training
