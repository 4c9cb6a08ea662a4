#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Builds the network a NetworkSpec asks for: architecture, class count, and its starting weights (random with
// torchvision's scheme, a torchvision export, or the ImageNet MobileNetV2 TFLite file), with the top layer
// replaced by one for the task's classes whenever the pretrained head has another size.
#include <memory>

#include "core/training/classifier_net.h"

namespace lunglens::core::training {

// Throws InputError for an unusable spec or weights file (naming it).
std::shared_ptr<ClassifierNet> createNetwork(const NetworkSpec& spec);

// An empty network of that architecture (torchvision init), e.g. to load a checkpoint into.
std::shared_ptr<ClassifierNet> makeNetwork(Architecture architecture, int num_classes);

}  // namespace lunglens::core::training
