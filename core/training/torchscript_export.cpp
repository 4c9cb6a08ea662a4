#include "core/training/torchscript_export.h"

#include <sstream>

#include "core/common/error.h"
#include "core/common/paths.h"

namespace lunglens::core::training {

namespace {

std::string intList(const torch::ExpandingArray<2>& values) {
  return "[" + std::to_string(values->at(0)) + ", " + std::to_string(values->at(1)) + "]";
}

std::string underscored(std::string path) {
  for (char& c : path)
    if (c == '.') c = '_';
  return path;
}

}  // namespace

std::string ScriptWriter::parameter(const std::string& path, const std::string& leaf, const torch::Tensor& value) {
  const std::string name = underscored(path) + "_" + leaf;
  // A detached, contiguous float copy: the exported module never aliases the network being trained. Kept
  // requires_grad like any saved model's parameters, so Grad-CAM's autograd graph exists whenever grad mode is on.
  module_.register_parameter(name, value.detach().to(torch::kFloat).contiguous().clone().requires_grad_(true),
                             /*is_buffer=*/false);
  return "self." + name;
}

std::string ScriptWriter::assign(const std::string& expression) {
  const std::string name = "x" + std::to_string(next_variable_++);
  body_ += "    " + name + " = " + expression + "\n";
  return name;
}

std::string ScriptWriter::convBn(const std::string& input, const std::string& path, const torch::nn::Conv2dImpl& conv,
                                 const torch::nn::BatchNorm2dImpl* bn, Activation activation, int padding) {
  torch::NoGradGuard no_grad;
  // Fold in double precision: w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta.
  torch::Tensor weight = conv.weight.to(torch::kDouble);
  const auto out_channels = weight.size(0);
  torch::Tensor bias =
      conv.bias.defined() ? conv.bias.to(torch::kDouble) : torch::zeros({out_channels}, torch::kDouble);
  if (bn) {
    const torch::Tensor scale =
        bn->weight.to(torch::kDouble) / torch::sqrt(bn->running_var.to(torch::kDouble) + bn->options.eps());
    weight = weight * scale.view({-1, 1, 1, 1});
    bias = (bias - bn->running_mean.to(torch::kDouble)) * scale + bn->bias.to(torch::kDouble);
  }
  const std::string w = parameter(path, "weight", weight);
  const std::string b = parameter(path, "bias", bias);
  std::string pad = "[0, 0]";
  if (padding >= 0) {
    pad = "[" + std::to_string(padding) + ", " + std::to_string(padding) + "]";
  } else if (const auto* explicit_padding = c10::get_if<torch::ExpandingArray<2>>(&conv.options.padding())) {
    pad = intList(*explicit_padding);
  } else {
    throw InternalError("TorchScript export: " + path + " uses string padding, which the exporter does not emit");
  }
  std::string y = "torch.conv2d(" + input + ", " + w + ", " + b + ", " + intList(conv.options.stride()) + ", " + pad +
                  ", " + intList(conv.options.dilation()) + ", " + std::to_string(conv.options.groups()) + ")";
  switch (activation) {
    case Activation::ReLU:
      y = "torch.relu(" + y + ")";
      break;
    case Activation::ReLU6:
      y = "torch.hardtanh(" + y + ", 0.0, 6.0)";
      break;
    case Activation::None:
      break;
  }
  return assign(y);
}

std::string ScriptWriter::samePad(const std::string& input, int kernel, int stride) {
  const std::string k = std::to_string(kernel), s = std::to_string(stride);
  auto total = [&](const std::string& dim) {
    return assign("max(((" + input + ".size(" + dim + ") + " + s + " - 1) // " + s + " - 1) * " + s + " + " + k +
                  " - " + input + ".size(" + dim + "), 0)");
  };
  const std::string ph = total("2"), pw = total("3");
  return assign("torch.constant_pad_nd(" + input + ", [" + pw + " // 2, " + pw + " - " + pw + " // 2, " + ph +
                " // 2, " + ph + " - " + ph + " // 2], 0.0)");
}

std::string ScriptWriter::linear(const std::string& input, const std::string& path,
                                 const torch::nn::LinearImpl& linear) {
  const std::string w = parameter(path, "weight", linear.weight);
  const std::string b = parameter(path, "bias", linear.bias);
  return assign("torch.linear(" + input + ", " + w + ", " + b + ")");
}

void ScriptWriter::setResult(const std::string& logits, const std::string& feature_map) {
  result_ = "    return (" + logits + ", " + feature_map + ")\n";
}

std::string ScriptWriter::source() const {
  if (result_.empty()) throw InternalError("TorchScript export: the network named no result");
  return "def forward(self, x: Tensor) -> Tuple[Tensor, Tensor]:\n" + body_ + result_;
}

torch::jit::Module exportTorchScript(const ClassifierNet& net) {
  torch::jit::Module module("LungLensClassifier");
  // torch::jit::Module::eval()/train() expect the attribute every scripted nn.Module has.
  if (!module.type()->hasAttribute("training")) module.register_attribute("training", c10::BoolType::get(), true);
  ScriptWriter writer(module);
  net.writeScript(writer);
  module.define(writer.source());
  module.eval();
  return module;
}

void saveTorchScript(const ClassifierNet& net, const std::filesystem::path& model_pt, bool overwrite) {
  torch::jit::Module module = exportTorchScript(net);
  std::ostringstream bytes;
  module.save(bytes);
  writeFileAtomically(model_pt, bytes.str(), overwrite);
}

}  // namespace lunglens::core::training
