#include "core/training/resnet.h"

#include "core/common/error.h"
#include "core/training/torchscript_export.h"

namespace lunglens::core::training {

namespace {

torch::nn::Conv2d conv(int in, int out, int kernel, int stride) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

struct Layout {
  bool bottleneck;
  int blocks[4];
};

Layout layoutOf(Architecture architecture) {
  switch (architecture) {
    case Architecture::ResNet18:
      return {false, {2, 2, 2, 2}};
    case Architecture::ResNet34:
      return {false, {3, 4, 6, 3}};
    case Architecture::ResNet50:
      return {true, {3, 4, 6, 3}};
    default:
      throw InternalError("ResNet: not a ResNet architecture");
  }
}

}  // namespace

ResidualBlock::ResidualBlock(int in_channels, int planes, int stride, bool bottleneck)
    : torch::nn::Module(bottleneck ? "Bottleneck" : "BasicBlock"), bottleneck_(bottleneck) {
  if (bottleneck) {
    convs_ = {conv(in_channels, planes, 1, 1), conv(planes, planes, 3, stride), conv(planes, planes * 4, 1, 1)};
  } else {
    convs_ = {conv(in_channels, planes, 3, stride), conv(planes, planes, 3, 1)};
  }
  for (size_t i = 0; i < convs_.size(); ++i) {
    const auto channels = convs_[i]->options.out_channels();
    norms_.push_back(torch::nn::BatchNorm2d(channels));
    register_module("conv" + std::to_string(i + 1), convs_[i]);
    register_module("bn" + std::to_string(i + 1), norms_[i]);
  }
  const int out_channels = outChannels();
  if (stride != 1 || in_channels != out_channels) {
    downsample_conv_ = conv(in_channels, out_channels, 1, stride);
    downsample_bn_ = torch::nn::BatchNorm2d(out_channels);
    downsample_ = torch::nn::Sequential(downsample_conv_, downsample_bn_);
    register_module("downsample", downsample_);
  }
}

int ResidualBlock::outChannels() const {
  return convs_.empty() ? 0 : static_cast<int>(convs_.back()->options.out_channels());
}

torch::Tensor ResidualBlock::forward(const torch::Tensor& x) {
  torch::Tensor y = x;
  for (size_t i = 0; i < convs_.size(); ++i) {
    y = norms_[i]->forward(convs_[i]->forward(y));
    if (i + 1 < convs_.size()) y = torch::relu(y);
  }
  const torch::Tensor identity = downsample_ ? downsample_->forward(x) : x;
  return torch::relu(y + identity);
}

std::string ResidualBlock::writeScript(ScriptWriter& writer, const std::string& input, const std::string& path) const {
  std::string y = input;
  for (size_t i = 0; i < convs_.size(); ++i) {
    const bool last = i + 1 == convs_.size();
    y = writer.convBn(y, path + ".conv" + std::to_string(i + 1), *convs_[i], norms_[i].get(),
                      last ? Activation::None : Activation::ReLU);
  }
  std::string identity = input;
  if (downsample_) {
    identity = writer.convBn(input, path + ".downsample.0", *downsample_conv_, downsample_bn_.get(), Activation::None);
  }
  return writer.assign("torch.relu(" + y + " + " + identity + ")");
}

ResNet::ResNet(Architecture architecture, int num_classes) : ClassifierNet("ResNet"), architecture_(architecture) {
  const Layout layout = layoutOf(architecture);
  conv1_ = register_module("conv1", conv(3, 64, 7, 2));
  bn1_ = register_module("bn1", torch::nn::BatchNorm2d(64));
  int channels = 64;
  for (int l = 0; l < 4; ++l) {
    const int planes = 64 << l;
    auto list = register_module("layer" + std::to_string(l + 1), torch::nn::ModuleList());
    layers_.emplace_back();
    for (int b = 0; b < layout.blocks[l]; ++b) {
      const int stride = (b == 0 && l > 0) ? 2 : 1;
      auto block = std::make_shared<ResidualBlock>(channels, planes, stride, layout.bottleneck);
      channels = block->outChannels();
      list->push_back(block);
      layers_.back().push_back(block);
    }
  }
  initConvAndNorm(*this);
  fc_ = register_module("fc", torch::nn::Linear(channels, num_classes));  // PyTorch's default Linear init
}

ClassifierNet::Output ResNet::forwardWithFeatures(const torch::Tensor& x) {
  torch::Tensor y = torch::relu(bn1_->forward(conv1_->forward(x)));
  y = torch::max_pool2d(y, 3, 2, 1);
  for (auto& layer : layers_)
    for (auto& block : layer) y = block->forward(y);
  return {fc_->forward(y.mean({2, 3})), y, y};
}

void ResNet::replaceHead(int num_classes) {
  if (num_classes < 1) throw InputError("network head", "needs at least one class");
  fc_ = replace_module("fc", torch::nn::Linear(featureChannels(), num_classes));
}

void ResNet::writeScript(ScriptWriter& writer) const {
  std::string y = writer.convBn("x", "conv1", *conv1_, bn1_.get(), Activation::ReLU);
  y = writer.assign("torch.max_pool2d(" + y + ", [3, 3], [2, 2], [1, 1], [1, 1], False)");
  for (size_t l = 0; l < layers_.size(); ++l)
    for (size_t b = 0; b < layers_[l].size(); ++b)
      y = layers_[l][b]->writeScript(writer, y, "layer" + std::to_string(l + 1) + "." + std::to_string(b));
  const std::string pooled = writer.assign(y + ".mean([2, 3])");
  const std::string logits = writer.linear(pooled, "fc", *fc_);
  writer.setResult(logits, y);
}

}  // namespace lunglens::core::training
