#include "core/training/tflite_mobilenet_import.h"

#include "core/common/error.h"
#include "core/training/tflite_reader.h"

namespace lunglens::core::training {

namespace {

torch::Tensor toTensor(std::vector<float> values, const std::vector<int>& shape) {
  std::vector<int64_t> sizes(shape.begin(), shape.end());
  return torch::from_blob(values.data(), sizes, torch::kFloat).clone();
}

const tflite::Tensor& tensorAt(const tflite::Model& model, const tflite::Operator& op, size_t input,
                               const std::string& where) {
  if (op.inputs.size() <= input || op.inputs[input] < 0)
    throw InputError(where, "operator lacks input " + std::to_string(input));
  return model.tensors[op.inputs[input]];
}

Activation activationOf(int fused, const std::string& where) {
  switch (fused) {
    case tflite::kNone:
      return Activation::None;
    case tflite::kRelu:
      return Activation::ReLU;
    case tflite::kRelu6:
      return Activation::ReLU6;
    default:
      throw InputError(where, "unsupported fused activation " + std::to_string(fused));
  }
}

std::string shapeText(at::IntArrayRef sizes) {
  std::ostringstream s;
  s << sizes;
  return s.str();
}

// Copies one TFLite conv op into a conv unit (weights) and its BN (identity + folded bias).
void importConv(const tflite::Model& model, const tflite::Operator& op, const ConvUnit& unit, const std::string& file) {
  const std::string where = file + ": " + unit.path;
  const tflite::Tensor& w = tensorAt(model, op, 1, where);
  const tflite::Tensor& b = tensorAt(model, op, 2, where);
  if (w.shape.size() != 4) throw InputError(where, "weights '" + w.name + "' are not 4-D");
  torch::Tensor weight = toTensor(tflite::dequantize(w, file), w.shape);
  const bool depthwise = op.builtin == tflite::kDepthwiseConv2d;
  // OHWI -> OIHW; depthwise [1,kh,kw,C] -> [C,1,kh,kw].
  weight = depthwise ? weight.permute({3, 0, 1, 2}) : weight.permute({0, 3, 1, 2});
  if (depthwise != (unit.conv->options.groups() > 1) || (depthwise && op.depth_multiplier != 1))
    throw InputError(where, "expected a " + std::string(depthwise ? "regular" : "depthwise") + " convolution");
  if (weight.sizes() != unit.conv->weight.sizes())
    throw InputError(where, "weights '" + w.name + "' have shape " + shapeText(weight.sizes()) + ", expected " +
                                shapeText(unit.conv->weight.sizes()));
  const auto stride = unit.conv->options.stride();
  if (op.stride_h != stride->at(0) || op.stride_w != stride->at(1) || op.padding != tflite::kSame)
    throw InputError(where, "stride/padding differ from MobileNetV2's");
  if (activationOf(op.fused_activation, where) != unit.activation)
    throw InputError(where, "fused activation differs from MobileNetV2's");
  torch::Tensor bias = toTensor(tflite::dequantize(b, file), b.shape);
  if (bias.numel() != weight.size(0)) throw InputError(where, "bias '" + b.name + "' has the wrong length");
  torch::NoGradGuard no_grad;
  unit.conv->weight.copy_(weight);
  setBatchNormIdentity(*unit.bn, bias.reshape({-1}));
}

}  // namespace

std::shared_ptr<MobileNetV2> importTfliteMobileNetV2(const std::filesystem::path& tflite_file) {
  const std::string file = tflite_file.string();
  const tflite::Model model = tflite::readModel(tflite_file);
  std::vector<const tflite::Operator*> convs;
  for (const auto& op : model.operators)
    if (op.builtin == tflite::kConv2d || op.builtin == tflite::kDepthwiseConv2d) convs.push_back(&op);

  auto net = std::make_shared<MobileNetV2>(1001, /*tensorflow_padding=*/true);
  const std::vector<ConvUnit> units = net->convUnits();
  if (convs.size() != units.size() + 1)
    throw InputError(file, "has " + std::to_string(convs.size()) + " convolutions; MobileNetV2 1.0 has " +
                               std::to_string(units.size() + 1) + " (with the logits conv)");
  for (size_t i = 0; i < units.size(); ++i) importConv(model, *convs[i], units[i], file);

  // The logits: a 1x1 conv [1001,1,1,1280] with bias -> classifier.1.
  const tflite::Operator& logits = *convs.back();
  const std::string where = file + ": logits";
  const tflite::Tensor& w = tensorAt(model, logits, 1, where);
  const tflite::Tensor& b = tensorAt(model, logits, 2, where);
  torch::Tensor weight = toTensor(tflite::dequantize(w, file), w.shape);
  torch::Tensor bias = toTensor(tflite::dequantize(b, file), b.shape).reshape({-1});
  auto& head = net->head();
  if (weight.numel() != head.weight.numel() || bias.numel() != head.bias.numel())
    throw InputError(where, "expected 1001 classes from 1280 features");
  {
    torch::NoGradGuard no_grad;
    head.weight.copy_(weight.reshape(head.weight.sizes()));
    head.bias.copy_(bias);
  }
  net->setBatchNormFrozen(true);
  net->eval();
  return net;
}

}  // namespace lunglens::core::training
