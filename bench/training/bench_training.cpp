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

#include "bench/common/work_meter.h"
#include "core/training/network_factory.h"
#include "core/training/torchscript_export.h"

using namespace lunglens::core::training;
using Clock = std::chrono::steady_clock;

namespace {

// Median wall ms of `f` after a warm-up (allocations, oneDNN primitive creation); `faults` gets the median minor
// page faults of one call, which should be near 0 once the allocator reuses the warm-up's memory.
template <typename F>
double medianMs(int repeats, F&& f, double* faults = nullptr) {
  f();
  std::vector<double> ms, flt;
  for (int i = 0; i < repeats; ++i) {
    const lunglens::bench::WorkMeter meter;
    f();
    const auto c = meter.elapsed();
    ms.push_back(c.wall_ms);
    flt.push_back(c.minor_faults);
  }
  std::sort(ms.begin(), ms.end());
  std::sort(flt.begin(), flt.end());
  if (faults) *faults = flt[flt.size() / 2];
  return ms[ms.size() / 2];
}

void benchExport(Architecture architecture, int batch, int repeats) {
  auto net = makeNetwork(architecture, 3);
  net->eval();
  torch::jit::Module module = exportTorchScript(*net);
  const torch::Tensor x = torch::randn({batch, 3, 224, 224});
  torch::InferenceMode inference;
  double eager_faults = 0, exported_faults = 0;
  const double eager = medianMs(repeats, [&] { net->forward(x); }, &eager_faults);
  const double exported = medianMs(repeats, [&] { module.forward({x}); }, &exported_faults);
  std::printf("| %s | %d | %.1f | %.1f | %.2f | %.0f / %.0f |\n", architectureName(architecture).c_str(), batch, eager,
              exported, exported / eager, eager_faults, exported_faults);
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
  double full_faults = 0, head_faults = 0;
  const double full = medianMs(repeats, step, &full_faults);
  freeze(true);
  const double head = medianMs(repeats, step, &head_faults);
  std::printf("| mobilenet_v2, batch 16 | %.0f | %.0f | %.2f | %.0f / %.0f |\n", full, head, head / full, full_faults,
              head_faults);
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
  std::printf("| network | batch | nn::Module eval ms | exported model.pt ms | ratio | minor faults per call (eval / exported) |\n"
              "|---|---|---|---|---|---|\n");
  for (Architecture a : {Architecture::ResNet18, Architecture::ResNet50, Architecture::MobileNetV2})
    for (int batch : {1, 8}) benchExport(a, batch, repeats);
  std::printf("\n| step | full fine-tune ms | frozen-backbone warm-up ms | ratio | minor faults per step (full / warm-up) |\n"
              "|---|---|---|---|---|\n");
  benchWarmup(repeats);
  return 0;
}
