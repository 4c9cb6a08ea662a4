#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// torchvision's ResNet (v1.5: stride on the 3x3 conv of the bottleneck) with its module names and shapes:
// conv1, bn1, layer1.0.conv1, layer1.0.bn1, ..., layer2.0.downsample.0 / .1, ..., fc.
#include <vector>

#include "core/training/classifier_net.h"

namespace lunglens::core::training {

// One residual block (BasicBlock or Bottleneck); registered as layerK.i.
class ResidualBlock : public torch::nn::Module {
 public:
  ResidualBlock(int in_channels, int planes, int stride, bool bottleneck);
  torch::Tensor forward(const torch::Tensor& x);
  // Emits this block's eval-mode forward; `path` is e.g. "layer2.0".
  std::string writeScript(ScriptWriter& writer, const std::string& input, const std::string& path) const;
  int outChannels() const;

 private:
  bool bottleneck_;
  std::vector<torch::nn::Conv2d> convs_;       // conv1, conv2[, conv3]
  std::vector<torch::nn::BatchNorm2d> norms_;  // bn1, bn2[, bn3]
  torch::nn::Sequential downsample_{nullptr};  // downsample.0 (1x1 conv), downsample.1 (BN), if needed
  torch::nn::Conv2d downsample_conv_{nullptr};
  torch::nn::BatchNorm2d downsample_bn_{nullptr};
};

class ResNet : public ClassifierNet {
 public:
  // architecture: ResNet18, ResNet34 or ResNet50. Initialised with torchvision's scheme.
  ResNet(Architecture architecture, int num_classes);

  Output forwardWithFeatures(const torch::Tensor& x) override;
  Architecture architecture() const override { return architecture_; }
  int numClasses() const override { return static_cast<int>(fc_->options.out_features()); }
  int featureChannels() const override { return static_cast<int>(fc_->options.in_features()); }
  void replaceHead(int num_classes) override;
  std::string headPrefix() const override { return "fc."; }
  void writeScript(ScriptWriter& writer) const override;

 private:
  Architecture architecture_;
  torch::nn::Conv2d conv1_{nullptr};
  torch::nn::BatchNorm2d bn1_{nullptr};
  std::vector<std::vector<std::shared_ptr<ResidualBlock>>> layers_;  // layer1..layer4
  torch::nn::Linear fc_{nullptr};
};

}  // namespace lunglens::core::training
