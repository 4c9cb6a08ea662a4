#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// torchvision's MobileNetV2 (width 1.0) with its module names and shapes: features.0.0 (conv) / features.0.1 (BN),
// features.1.conv.0.0 ... features.17.conv.3, features.18.0 / .1, classifier.1 (Linear; classifier.0 is Dropout).
#include <vector>

#include "core/training/classifier_net.h"
#include "core/training/torchscript_export.h"

namespace lunglens::core::training {

// Conv (no bias) + BN + optional activation; children "0" (conv) and "1" (BN), like torchvision's
// Conv2dNormActivation. With TensorFlow padding, strided convs pad "SAME"-style (extra row/column bottom/right)
// as the TFLite weights were trained with; otherwise torchvision's symmetric padding.
class ConvBnAct : public torch::nn::Module {
 public:
  ConvBnAct(int in, int out, int kernel, int stride, int groups, Activation activation, bool tensorflow_padding);
  torch::Tensor forward(torch::Tensor x);
  std::string writeScript(ScriptWriter& writer, std::string input, const std::string& path) const;

  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  Activation activation;
  bool tensorflow_padding;
};

// One convolution of the network in forward order, for weight import.
struct ConvUnit {
  std::string path;  // module path of the conv, e.g. "features.2.conv.1.0"
  torch::nn::Conv2dImpl* conv;
  torch::nn::BatchNorm2dImpl* bn;
  Activation activation;
};

class InvertedResidual : public torch::nn::Module {
 public:
  InvertedResidual(int in, int out, int stride, int expand_ratio, bool tensorflow_padding);
  torch::Tensor forward(const torch::Tensor& x);
  std::string writeScript(ScriptWriter& writer, const std::string& input, const std::string& path) const;
  void appendConvUnits(const std::string& path, std::vector<ConvUnit>& units);

 private:
  bool residual_;
  std::vector<std::shared_ptr<ConvBnAct>> stages_;  // [expand 1x1,] depthwise 3x3
  torch::nn::Conv2d project_{nullptr};              // 1x1 linear bottleneck, then BN, no activation
  torch::nn::BatchNorm2d project_bn_{nullptr};
};

class MobileNetV2 : public ClassifierNet {
 public:
  // Initialised with torchvision's scheme. tensorflow_padding: see ConvBnAct (set for the TFLite import).
  explicit MobileNetV2(int num_classes, bool tensorflow_padding = false);
  // Grad-CAM explains the output of features.<kCamBlock>: the last block at stride 16 (14 x 14 at 224 px).
  static constexpr size_t kCamBlock = 13;

  Output forwardWithFeatures(const torch::Tensor& x) override;
  Architecture architecture() const override { return Architecture::MobileNetV2; }
  int numClasses() const override { return static_cast<int>(classifier_->options.out_features()); }
  int featureChannels() const override { return static_cast<int>(classifier_->options.in_features()); }
  void replaceHead(int num_classes) override;
  std::string headPrefix() const override { return "classifier.1."; }
  void writeScript(ScriptWriter& writer) const override;

  // Every convolution in forward order (53 of them), and the head.
  std::vector<ConvUnit> convUnits();
  torch::nn::LinearImpl& head() { return *classifier_; }
  bool tensorflowPadding() const { return tensorflow_padding_; }

 private:
  bool tensorflow_padding_;
  std::shared_ptr<ConvBnAct> stem_;
  std::vector<std::shared_ptr<InvertedResidual>> blocks_;
  std::shared_ptr<ConvBnAct> last_;
  std::shared_ptr<torch::nn::Module> classifier_container_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

}  // namespace lunglens::core::training
