#include "core/training/mobilenet_v2.h"

#include "core/common/error.h"

namespace lunglens::core::training {

namespace {

// TensorFlow "SAME" padding for a strided conv: total = max((ceil(n/s) - 1) * s + k - n, 0), extra at the end.
torch::Tensor padSame(const torch::Tensor& x, int kernel, int stride) {
  auto amount = [&](int64_t n) {
    const int64_t total = std::max<int64_t>(((n + stride - 1) / stride - 1) * stride + kernel - n, 0);
    return std::pair<int64_t, int64_t>{total / 2, total - total / 2};
  };
  const auto [top, bottom] = amount(x.size(2));
  const auto [left, right] = amount(x.size(3));
  return torch::constant_pad_nd(x, {left, right, top, bottom}, 0.0);
}

torch::Tensor activate(const torch::Tensor& x, Activation activation) {
  switch (activation) {
    case Activation::ReLU:
      return torch::relu(x);
    case Activation::ReLU6:
      return torch::hardtanh(x, 0.0, 6.0);
    case Activation::None:
      return x;
  }
  return x;
}

torch::nn::Linear makeHead(int in, int num_classes) {
  if (num_classes < 1) throw InputError("network head", "needs at least one class");
  torch::nn::Linear head(in, num_classes);
  torch::NoGradGuard no_grad;
  torch::nn::init::normal_(head->weight, 0.0, 0.01);  // torchvision's MobileNetV2 head init
  head->bias.zero_();
  return head;
}

}  // namespace

ConvBnAct::ConvBnAct(int in, int out, int kernel, int stride, int groups, Activation activation,
                     bool tensorflow_padding)
    : torch::nn::Module("Conv2dNormActivation"), activation(activation), tensorflow_padding(tensorflow_padding) {
  conv = register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                                    .stride(stride)
                                                    .padding((kernel - 1) / 2)
                                                    .groups(groups)
                                                    .bias(false)));
  bn = register_module("1", torch::nn::BatchNorm2d(out));
}

torch::Tensor ConvBnAct::forward(torch::Tensor x) {
  const int stride = static_cast<int>(conv->options.stride()->at(0));
  torch::Tensor y;
  if (tensorflow_padding && stride > 1) {
    const int kernel = static_cast<int>(conv->options.kernel_size()->at(0));
    const std::vector<int64_t> strides{stride, stride}, no_padding{0, 0}, no_dilation{1, 1};
    y = torch::conv2d(padSame(x, kernel, stride), conv->weight, conv->bias, torch::IntArrayRef(strides),
                      torch::IntArrayRef(no_padding), torch::IntArrayRef(no_dilation), conv->options.groups());
  } else {
    y = conv->forward(x);
  }
  return activate(bn->forward(y), activation);
}

std::string ConvBnAct::writeScript(ScriptWriter& writer, std::string input, const std::string& path) const {
  const int stride = static_cast<int>(conv->options.stride()->at(0));
  int padding = -1;  // the conv's own
  if (tensorflow_padding && stride > 1) {
    input = writer.samePad(input, static_cast<int>(conv->options.kernel_size()->at(0)), stride);
    padding = 0;
  }
  return writer.convBn(input, path + ".0", *conv, bn.get(), activation, padding);
}

InvertedResidual::InvertedResidual(int in, int out, int stride, int expand_ratio, bool tensorflow_padding)
    : torch::nn::Module("InvertedResidual"), residual_(stride == 1 && in == out) {
  const int hidden = in * expand_ratio;
  auto body = register_module("conv", torch::nn::ModuleList());
  if (expand_ratio != 1)
    stages_.push_back(std::make_shared<ConvBnAct>(in, hidden, 1, 1, 1, Activation::ReLU6, tensorflow_padding));
  stages_.push_back(
      std::make_shared<ConvBnAct>(hidden, hidden, 3, stride, hidden, Activation::ReLU6, tensorflow_padding));
  for (auto& stage : stages_) body->push_back(stage);
  project_ = torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden, out, 1).bias(false));
  project_bn_ = torch::nn::BatchNorm2d(out);
  body->push_back(project_);
  body->push_back(project_bn_);
}

torch::Tensor InvertedResidual::forward(const torch::Tensor& x) {
  torch::Tensor y = x;
  for (auto& stage : stages_) y = stage->forward(y);
  y = project_bn_->forward(project_->forward(y));
  return residual_ ? x + y : y;
}

std::string InvertedResidual::writeScript(ScriptWriter& writer, const std::string& input,
                                          const std::string& path) const {
  std::string y = input;
  for (size_t i = 0; i < stages_.size(); ++i)
    y = stages_[i]->writeScript(writer, y, path + ".conv." + std::to_string(i));
  y = writer.convBn(y, path + ".conv." + std::to_string(stages_.size()), *project_, project_bn_.get(),
                    Activation::None);
  return residual_ ? writer.assign(input + " + " + y) : y;
}

void InvertedResidual::appendConvUnits(const std::string& path, std::vector<ConvUnit>& units) {
  for (size_t i = 0; i < stages_.size(); ++i)
    units.push_back({path + ".conv." + std::to_string(i) + ".0", stages_[i]->conv.get(), stages_[i]->bn.get(),
                     stages_[i]->activation});
  units.push_back(
      {path + ".conv." + std::to_string(stages_.size()), project_.get(), project_bn_.get(), Activation::None});
}

MobileNetV2::MobileNetV2(int num_classes, bool tensorflow_padding)
    : ClassifierNet("MobileNetV2"), tensorflow_padding_(tensorflow_padding) {
  // torchvision's inverted_residual_setting: expansion t, channels c, repeats n, first stride s.
  constexpr int kSetting[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                  {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  auto features = register_module("features", torch::nn::ModuleList());
  stem_ = std::make_shared<ConvBnAct>(3, 32, 3, 2, 1, Activation::ReLU6, tensorflow_padding);
  features->push_back(stem_);
  int channels = 32;
  for (const auto& s : kSetting) {
    for (int i = 0; i < s[2]; ++i) {
      blocks_.push_back(
          std::make_shared<InvertedResidual>(channels, s[1], i == 0 ? s[3] : 1, s[0], tensorflow_padding));
      features->push_back(blocks_.back());
      channels = s[1];
    }
  }
  last_ = std::make_shared<ConvBnAct>(channels, 1280, 1, 1, 1, Activation::ReLU6, tensorflow_padding);
  features->push_back(last_);
  classifier_container_ = register_module("classifier", std::make_shared<torch::nn::Module>("Sequential"));
  dropout_ = classifier_container_->register_module("0", torch::nn::Dropout(0.2));
  classifier_ = classifier_container_->register_module("1", makeHead(1280, num_classes));
  initConvAndNorm(*this);
}

ClassifierNet::Output MobileNetV2::forwardWithFeatures(const torch::Tensor& x) {
  torch::Tensor y = stem_->forward(x);
  torch::Tensor cam;
  for (size_t i = 0; i < blocks_.size(); ++i) {
    y = blocks_[i]->forward(y);
    if (i + 1 == kCamBlock) cam = y;
  }
  y = last_->forward(y);
  return {classifier_->forward(dropout_->forward(y.mean({2, 3}))), y, cam};
}

void MobileNetV2::replaceHead(int num_classes) {
  classifier_ = classifier_container_->replace_module("1", makeHead(featureChannels(), num_classes));
}

std::vector<ConvUnit> MobileNetV2::convUnits() {
  std::vector<ConvUnit> units{{"features.0.0", stem_->conv.get(), stem_->bn.get(), stem_->activation}};
  for (size_t i = 0; i < blocks_.size(); ++i) blocks_[i]->appendConvUnits("features." + std::to_string(i + 1), units);
  units.push_back({"features.18.0", last_->conv.get(), last_->bn.get(), last_->activation});
  return units;
}

void MobileNetV2::writeScript(ScriptWriter& writer) const {
  std::string y = stem_->writeScript(writer, "x", "features.0");
  std::string cam;
  for (size_t i = 0; i < blocks_.size(); ++i) {
    y = blocks_[i]->writeScript(writer, y, "features." + std::to_string(i + 1));
    if (i + 1 == kCamBlock) cam = y;
  }
  y = last_->writeScript(writer, y, "features.18");
  const std::string pooled = writer.assign(y + ".mean([2, 3])");
  writer.setResult(writer.linear(pooled, "classifier.1", *classifier_), cam);
}

}  // namespace lunglens::core::training
