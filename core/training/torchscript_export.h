#pragma once
// TRAINING-INTERNAL header (includes <torch/script.h>).
//
// Exports a ClassifierNet as the bundle's model.pt WITHOUT Python: a torch::jit::Module whose parameters are the
// network's weights with BatchNorm folded into the convolutions, and whose forward is compiled from TorchScript
// source generated here (Module::define). forward(x: [N,3,H,W]) -> (logits [N,K], feature_map [N,F,h,w]), the
// feature map being the network's Grad-CAM map (ClassifierNet::Output::cam_map), which the logits are computed
// from (docs/TRAINING.md and the bundle contract).
#include <torch/script.h>

#include <filesystem>
#include <string>

#include "core/training/classifier_net.h"

namespace lunglens::core::training {

enum class Activation { None, ReLU, ReLU6 };

// Collects parameters and source lines while a network describes its eval-mode forward.
class ScriptWriter {
 public:
  explicit ScriptWriter(torch::jit::Module& module) : module_(module) {}

  // y = act(bn(conv(x))) with bn (may be null) folded into the convolution; `path` is the conv's module path
  // (e.g. "layer1.0.conv1"), used to name the registered parameters; padding < 0: the conv's own padding.
  // Returns the output's variable name.
  std::string convBn(const std::string& input, const std::string& path, const torch::nn::Conv2dImpl& conv,
                     const torch::nn::BatchNorm2dImpl* bn, Activation activation, int padding = -1);
  // TensorFlow "SAME" padding for a kernel/stride (asymmetric: the extra row/column goes bottom/right).
  std::string samePad(const std::string& input, int kernel, int stride);
  std::string linear(const std::string& input, const std::string& path, const torch::nn::LinearImpl& linear);
  // A new variable holding `expression` (TorchScript), e.g. "torch.relu(x3 + x1)".
  std::string assign(const std::string& expression);

  // Names the variables forward returns: (logits, feature map).
  void setResult(const std::string& logits, const std::string& feature_map);
  // The complete forward definition.
  std::string source() const;

 private:
  std::string parameter(const std::string& path, const std::string& leaf, const torch::Tensor& value);

  torch::jit::Module& module_;
  std::string body_;
  std::string result_;
  int next_variable_ = 0;
};

// The exported module (a copy: later training does not change it). The network is not modified.
torch::jit::Module exportTorchScript(const ClassifierNet& net);
// Writes model.pt (atomically; refuses to replace an existing file unless overwrite). Throws InputError on failure.
void saveTorchScript(const ClassifierNet& net, const std::filesystem::path& model_pt, bool overwrite);

}  // namespace lunglens::core::training
