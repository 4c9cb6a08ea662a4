#pragma once
// TRAINING-INTERNAL header: includes <torch/torch.h> (a 15–30 s compile). Include it only from core/training
// sources, training tests and benchmarks; elsewhere use architecture.h.
//
// ClassifierNet: the common face of the LibTorch networks (ResNet18/34/50, MobileNetV2) with torchvision's
// module names and tensor shapes, so torchvision weights load by name.
#include <torch/torch.h>

#include <memory>
#include <string>

#include "core/training/architecture.h"

namespace lunglens::core::training {

class ScriptWriter;

class ClassifierNet : public torch::nn::Module {
 public:
  explicit ClassifierNet(std::string name) : torch::nn::Module(std::move(name)) {}

  struct Output {
    torch::Tensor logits;       // [N, K], before softmax
    torch::Tensor feature_map;  // [N, F, h, w], the last convolutional feature map; logits = fc(mean_hw(it))
    // The map Grad-CAM explains (model.pt's second output): the last feature map for the ResNets; for MobileNetV2
    // the last stride-16 stage (features.13, 96 channels), since its stride-32 map is 5 x 5 at a 160-px input,
    // too coarse to say where on the slice the evidence is. The logits depend on it (it lies on their path).
    torch::Tensor cam_map;
  };
  virtual Output forwardWithFeatures(const torch::Tensor& x) = 0;
  torch::Tensor forward(const torch::Tensor& x) { return forwardWithFeatures(x).logits; }

  virtual Architecture architecture() const = 0;
  virtual int numClasses() const = 0;
  virtual int featureChannels() const = 0;
  // Replaces the top layer by a freshly initialised one (torchvision's init for that layer) with num_classes outputs.
  virtual void replaceHead(int num_classes) = 0;
  // Name prefix of the top layer's parameters: "fc." or "classifier.1.". A frozen-backbone warm-up trains only these.
  virtual std::string headPrefix() const = 0;
  // Emits the eval-mode forward as TorchScript with BN folded into the convolutions (see torchscript_export.h).
  virtual void writeScript(ScriptWriter& writer) const = 0;

  // Keeps every BatchNorm layer in eval mode (fixed statistics) even in train(): used for backbones whose BN was
  // folded into the convolutions (the TFLite MobileNetV2), where batch statistics would undo the pretrained scaling.
  void setBatchNormFrozen(bool frozen);
  bool batchNormFrozen() const { return batch_norm_frozen_; }
  void train(bool on = true) override;

 private:
  bool batch_norm_frozen_ = false;
};

// torchvision's initialisation for convolutions and norms (kaiming-normal, fan_out, ReLU; BN weight 1, bias 0).
void initConvAndNorm(torch::nn::Module& module);
// Sets a BatchNorm layer to the identity in eval mode (weight 1, bias `bias`, mean 0, var 1 - eps).
void setBatchNormIdentity(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& bias);

}  // namespace lunglens::core::training
