#include "core/training/classifier_net.h"

namespace lunglens::core::training {

void ClassifierNet::setBatchNormFrozen(bool frozen) {
  batch_norm_frozen_ = frozen;
  train(is_training());
}

void ClassifierNet::train(bool on) {
  torch::nn::Module::train(on);
  if (!batch_norm_frozen_) return;
  for (const auto& module : modules(/*include_self=*/false))
    if (auto* bn = module->as<torch::nn::BatchNorm2d>()) bn->eval();
}

void initConvAndNorm(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (const auto& m : module.modules(/*include_self=*/false)) {  // self may not be in a shared_ptr yet
    if (auto* conv = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
      if (conv->bias.defined()) conv->bias.zero_();
    } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      bn->weight.fill_(1.0);
      bn->bias.zero_();
    }
  }
}

void setBatchNormIdentity(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& bias) {
  torch::NoGradGuard no_grad;
  const double eps = bn.options.eps();
  bn.weight.fill_(1.0);
  bn.bias.copy_(bias);
  bn.running_mean.zero_();
  // var + eps == 1, so eval-mode BN computes x * 1 + bias exactly (to float rounding).
  bn.running_var.fill_(1.0 - eps);
}

}  // namespace lunglens::core::training
