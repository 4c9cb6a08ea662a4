#pragma once
// Which network to build and where its starting weights come from. Torch-free: safe to include anywhere
// (CLI argument parsing, manifests); the networks themselves live in the training-internal headers.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::training {

enum class Architecture { ResNet18, ResNet34, ResNet50, MobileNetV2 };

// "resnet18", "resnet34", "resnet50", "mobilenet_v2" (torchvision's names; also the manifest's "architecture").
std::string architectureName(Architecture architecture);
// Inverse of architectureName; throws InputError naming the accepted values.
Architecture parseArchitecture(const std::string& name);
std::vector<std::string> architectureNames();

enum class InitSource {
  Random,            // torchvision's initialisation scheme
  TorchvisionFile,   // a TorchScript export or a torch.save()d plain dict of a torchvision model's state dict
  TfliteMobileNetV2  // the ImageNet MobileNetV2 .tflite (uint8, BN folded), dequantized
};

struct NetworkSpec {
  Architecture architecture = Architecture::MobileNetV2;
  int num_classes = 3;
  InitSource init = InitSource::Random;
  std::filesystem::path weights_file;  // for TorchvisionFile / TfliteMobileNetV2
  std::uint64_t seed = 0;              // seeds the random initialisation (and the new head)
};

// Input normalisation the backbone's weights expect, per RGB channel, applied to values in [0, 1].
struct InputNormalization {
  std::vector<float> mean;
  std::vector<float> std;
};
// ImageNet mean/std for torchvision weights and random init; 0.5/0.5 (i.e. [-1, 1]) for the TFLite MobileNetV2.
InputNormalization inputNormalizationFor(const NetworkSpec& spec);

// The manifest every bundle LungLens trains starts from: the task's classes, a square `input_size` input in three
// windows (lung / mediastinum / lung), the normalisation `spec`'s backbone expects, and a covid threshold of 0.5
// for diagnosis. The caller adds name, version and provenance.
inference::Manifest trainingManifest(inference::Task task, int input_size, const NetworkSpec& spec);

}  // namespace lunglens::core::training
