// bench_training: the training room's speed claims, each against a baseline measured in the same run.
//  1. Exported model.pt (BN folded into the convs, TorchScript) vs the C++ nn::Module it came from (eval mode, BN as
//     separate layers): forward latency at 224x224 for resnet18 / resnet50 / mobilenet_v2, batch 1 and 8.
//  2. A frozen-backbone warm-up step (head only) vs a full fine-tuning step: MobileNetV2 at 224x224, batch 16.
// Usage: bench_training [--threads N] [--repeats R]. Results go in docs/PERFORMANCE.md ("Training").
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/training/network_factory.h"
#include "core/training/torchscript_export.h"

using namespace lunglens::core::training;
using Clock = std::chrono::steady_clock;

namespace {

template <typename F>
double medianMs(int repeats, F&& f) {
  f();  // warm-up (allocations, oneDNN primitive creation)
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

void benchExport(Architecture architecture, int batch, int repeats) {
  auto net = makeNetwork(architecture, 3);
  net->eval();
  torch::jit::Module module = exportTorchScript(*net);
  const torch::Tensor x = torch::randn({batch, 3, 224, 224});
  torch::InferenceMode inference;
  const double eager = medianMs(repeats, [&] { net->forward(x); });
  const double exported = medianMs(repeats, [&] { module.forward({x}); });
  std::printf("| %s | %d | %.1f | %.1f | %.2f |\n", architectureName(architecture).c_str(), batch, eager, exported,
              exported / eager);
}

void benchWarmup(int repeats) {
  auto net = makeNetwork(Architecture::MobileNetV2, 3);
  net->train();
  const torch::Tensor x = torch::randn({16, 3, 224, 224});
  const torch::Tensor y = torch::randint(0, 3, {16}, torch::kLong);
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-3));
  auto step = [&] {
    optimizer.zero_grad();
    torch::nn::functional::cross_entropy(net->forward(x), y).backward();
    optimizer.step();
  };
  auto freeze = [&](bool frozen) {
    for (auto& p : net->named_parameters()) {
      p.value().set_requires_grad(!frozen || p.key().rfind(net->headPrefix(), 0) == 0);
      if (!p.value().requires_grad()) p.value().mutable_grad() = torch::Tensor();  // as the trainer does
    }
  };
  freeze(false);
  const double full = medianMs(repeats, step);
  freeze(true);
  const double head = medianMs(repeats, step);
  std::printf("| mobilenet_v2, batch 16 | %.0f | %.0f | %.2f |\n", full, head, head / full);
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0, repeats = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
  }
  if (threads > 0) torch::set_num_threads(threads);
  torch::manual_seed(1);
  std::printf("threads %d, median of %d\n\n", torch::get_num_threads(), repeats);
  std::printf("| network | batch | nn::Module eval ms | exported model.pt ms | ratio |\n|---|---|---|---|---|\n");
  for (Architecture a : {Architecture::ResNet18, Architecture::ResNet50, Architecture::MobileNetV2})
    for (int batch : {1, 8}) benchExport(a, batch, repeats);
  std::printf("\n| step | full fine-tune ms | frozen-backbone warm-up ms | ratio |\n|---|---|---|---|\n");
  benchWarmup(repeats);
  return 0;
}
