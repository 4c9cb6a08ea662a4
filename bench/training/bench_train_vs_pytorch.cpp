// bench_train_vs_pytorch: LungLens's training speed against Debian's python3-torch/torchvision (eager, CPU), same
// invocation, same thread count, same batch, same optimiser (issue 16, point 3).
//  1. One fine-tuning step (zero_grad + forward + class-weighted cross-entropy + backward + AdamW, train mode,
//     batch 16, 224 px) of MobileNetV2 and ResNet18: LungLens's networks (core/training/network_factory) vs
//     torchvision's (head replaced by 3 classes); random init on both sides. The C++ and Python runs alternate
//     (C++, Python, C++, Python, ...) so drift on a shared machine hits both; each run warms up, then times steps;
//     the medians over all rounds are compared. Wall and CPU time and minor page faults (ru_minflt) per step.
//  2. A whole epoch over the same N preprocessed 224-px slices (generated PNGs -> images-csv import -> the
//     dataset's slice cache, as `lunglens-cli train` prepares them): LungLens's real trainer (trainClassifier: its
//     batch prefetcher, augmentation on and off, one epoch, no warm-up freezing, a one-slice validation) vs a torch
//     DataLoader over the same cached bytes (pytorch_train_step.py --mode epoch). Epoch images/s against each
//     side's step rate measured right before and after that epoch (--bracket-steps timed steps each), so that a
//     VM's speed drift between phases does not enter the ratio; --epoch-rounds repeats, medians reported.
// LungLens runs with the product's process policies (allocator, PASSIVE OpenMP wait; `--policy none` as the first
// arguments: without them); Python with glibc's defaults and, unless --python-omp default, the same OMP_WAIT_POLICY.
// Usage: bench_train_vs_pytorch [--policy product|none] [--threads 1,2] [--archs mobilenet_v2,resnet18]
//   [--rounds 2] [--warmup 1] [--steps 3] [--epoch-slices 500] [--epoch-archs mobilenet_v2] [--epoch-threads 1]
//   [--epoch-rounds 1] [--bracket-steps 4] [--dir DIR]
//   [--python-omp same|default] (default: Python gets this process's OMP_WAIT_POLICY; `default`: libgomp's).
// Results: docs/PERFORMANCE.md, "Training" -> "Against PyTorch".
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/common/child_json.h"
#include "bench/common/imported_png_set.h"
#include "bench/common/work_meter.h"
#include "core/common/allocator_policy.h"
#include "core/common/openmp_policy.h"
#include "core/common/paths.h"
#include "core/datasets/canonical.h"
#include "core/datasets/importer.h"
#include "core/datasets/slice_cache.h"
#include "core/training/network_factory.h"
#include "core/training/trainer.h"

namespace fs = std::filesystem;
namespace ds = lunglens::core::datasets;
namespace tr = lunglens::core::training;
using lunglens::bench::WorkCost;
using lunglens::bench::WorkMeter;

using lunglens::bench::jsonNumber;
using lunglens::bench::runCommand;

namespace {

constexpr int kBatch = 16, kSize = 224, kClasses = 3;
bool python_omp_default = false;

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct Samples {
  std::vector<double> wall_ms, cpu_ms, faults;
  void add(const WorkCost& c) {
    wall_ms.push_back(c.wall_ms);
    cpu_ms.push_back(c.cpu_ms);
    faults.push_back(c.minor_faults);
  }
};

// The Python side's JSON lines (those holding `marker`) as WorkCosts.
std::vector<WorkCost> pythonCosts(const std::string& args, const std::string& marker) {
  const char* source_env = std::getenv("LUNGLENS_SOURCE_DIR");
  const std::string script =
      std::string(source_env ? source_env : LUNGLENS_SOURCE_DIR) + "/bench/training/pytorch_train_step.py";
  // python_omp_default: PyTorch as its users run it, libgomp's default wait policy; otherwise the same environment
  // (OMP_WAIT_POLICY) as this process, so both sides run with the same thread settings.
  const std::string out = runCommand(std::string(python_omp_default ? "env -u OMP_WAIT_POLICY " : "") +
                                     "/usr/bin/python3 " + script + " " + args);
  std::vector<WorkCost> costs;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.find("\"" + marker + "\"") != std::string::npos)
      costs.push_back({jsonNumber(line, "seconds") * 1e3, jsonNumber(line, "cpu") * 1e3, jsonNumber(line, "minflt")});
  if (costs.empty()) std::cerr << "bench_train_vs_pytorch: no result from " << script << " " << args << "\n" << out;
  return costs;
}

// The trainer's step (trainer.cpp): zero_grad, forward, class-weighted cross-entropy, backward, AdamW step.
void cppSteps(tr::Architecture architecture, int threads, int warmup, int steps, Samples& into) {
  at::set_num_threads(threads);
  torch::manual_seed(1);
  auto net = tr::makeNetwork(architecture, kClasses);
  net->train();
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(3e-4).weight_decay(1e-4));
  const torch::Tensor x = torch::randn({kBatch, 3, kSize, kSize});
  const torch::Tensor y = torch::randint(0, kClasses, {kBatch}, torch::kLong);
  const torch::Tensor weights = torch::ones({kClasses});
  auto step = [&] {
    optimizer.zero_grad();
    const torch::Tensor loss = torch::nn::functional::cross_entropy(
        net->forward(x), y, torch::nn::functional::CrossEntropyFuncOptions().weight(weights));
    loss.backward();
    optimizer.step();
    return loss.item<double>();
  };
  for (int i = 0; i < warmup; ++i) step();
  for (int i = 0; i < steps; ++i) {
    const WorkMeter meter;
    step();
    into.add(meter.elapsed());
  }
}

struct StepResult {
  Samples ours, theirs;
};

// The preprocessed slices: generated PNGs imported as a canonical dataset, loaded through its slice cache.
struct Prepared {
  tr::LoadedSlices slices;
  lunglens::core::inference::InputSpec spec;
  fs::path images_raw, labels_raw;  // the same bytes for the Python side
};

Prepared prepare(const fs::path& dir, int count) {
  std::cerr << "bench_train_vs_pytorch: " << count << " slices in " << dir << " (kept for later runs)\n";
  const fs::path dataset = lunglens::bench::importedImageSet(dir, count, "bench_train_vs_pytorch", 300, 700);
  const ds::CanonicalDataset d = ds::readDataset(dataset);
  tr::NetworkSpec random_init;
  Prepared p;
  p.spec = tr::trainingManifest(lunglens::core::inference::Task::Diagnosis, kSize, random_init).input;
  const tr::Dataset data = ds::toTrainingDataset(d, dataset, lunglens::core::inference::Task::Diagnosis);
  p.slices = ds::SliceCache::open(dataset, d, p.spec)->load(data);
  if (p.slices.images.empty()) throw std::runtime_error("the slice cache gave no preprocessed images");
  p.images_raw = dir / "images.u8";
  p.labels_raw = dir / "labels.i64";
  std::ofstream images(p.images_raw, std::ios::binary), labels(p.labels_raw, std::ios::binary);
  const std::size_t bytes =
      static_cast<std::size_t>(p.slices.image_channels) * p.slices.image_height * p.slices.image_width;
  for (std::size_t i = 0; i < p.slices.size(); ++i) {
    images.write(reinterpret_cast<const char*>(p.slices.images[i]), static_cast<std::streamsize>(bytes));
    const std::int64_t label = p.slices.labels[i];
    labels.write(reinterpret_cast<const char*>(&label), sizeof label);
  }
  return p;
}

// One trainer epoch over all slices (after a two-batch warm-up epoch on the same network).
WorkCost cppEpoch(tr::Architecture architecture, int threads, const Prepared& p, bool augment) {
  at::set_num_threads(threads);
  torch::manual_seed(1);
  auto net = tr::makeNetwork(architecture, kClasses);
  tr::LoadedSlices validation = p.slices;  // one slice: the trainer always validates; keep that cost negligible
  validation.images.resize(1);
  validation.labels.resize(1);
  tr::TrainOptions o;
  o.epochs = 1;
  o.warmup_epochs = 0;
  o.patience = 0;
  o.batch_size = kBatch;
  o.max_batches_per_epoch = 2;
  o.augment.enabled = augment;
  tr::trainClassifier(*net, p.slices, validation, p.spec, o);
  o.max_batches_per_epoch = 0;
  const WorkMeter meter;
  tr::trainClassifier(*net, p.slices, validation, p.spec, o);
  return meter.elapsed();
}

}  // namespace

int main(int argc, char** argv) {
  // LungLens as lunglens-cli train runs it (app/cli/main.cpp): PASSIVE OpenMP wait and the allocator policy.
  // `--policy none` (first argument pair) measures LungLens with glibc's and libgomp's defaults instead.
  const bool product_policy = !(argc > 2 && std::string(argv[1]) == "--policy" && std::string(argv[2]) == "none");
  std::string policy = "glibc defaults, libgomp default wait";
  if (product_policy) {
    lunglens::core::ensurePassiveOpenMpWait(argv);
    policy = lunglens::core::applyAllocatorPolicy().description +
             ", OMP_WAIT_POLICY=" + (std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "unset");
  }
  std::vector<std::string> thread_list{"1", "2"}, archs{"mobilenet_v2", "resnet18"}, epoch_archs{"mobilenet_v2"},
      epoch_threads{"1"};
  int rounds = 2, warmup = 1, steps = 3, epoch_slices = 500, epoch_rounds = 1, bracket_steps = 4;
  fs::path dir = lunglens::core::executableDir().parent_path() / "bench-scratch" / "train-vs-pytorch";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--threads") thread_list = splitList(v);
    if (a == "--archs") archs = splitList(v);
    if (a == "--rounds") rounds = std::max(1, std::atoi(v.c_str()));
    if (a == "--warmup") warmup = std::max(0, std::atoi(v.c_str()));
    if (a == "--steps") steps = std::max(1, std::atoi(v.c_str()));
    if (a == "--epoch-slices") epoch_slices = std::atoi(v.c_str());
    if (a == "--epoch-archs") epoch_archs = splitList(v);
    if (a == "--epoch-threads") epoch_threads = splitList(v);
    if (a == "--epoch-rounds") epoch_rounds = std::max(1, std::atoi(v.c_str()));
    if (a == "--bracket-steps") bracket_steps = std::max(1, std::atoi(v.c_str()));
    if (a == "--dir") dir = v;
    if (a == "--python-omp") python_omp_default = v == "default";
  }
  double load[3] = {NAN, NAN, NAN};
  std::ifstream("/proc/loadavg") >> load[0] >> load[1] >> load[2];
  std::printf(
      "# bench_train_vs_pytorch: batch %d, %d px, AdamW, train mode, random init; %d rounds x (%d warm-up + %d "
      "timed steps) per side, alternated; load average at start %.2f %.2f %.2f\n# LungLens process: %s\n"
      "# PyTorch process: glibc defaults, OMP_WAIT_POLICY %s\n\n",
      kBatch, kSize, rounds, warmup, steps, load[0], load[1], load[2], policy.c_str(),
      python_omp_default ? "unset (libgomp default)" : "as LungLens's");

  // 1. Steps, alternated.
  std::map<std::pair<std::string, std::string>, StepResult> results;
  std::printf(
      "| network | threads | LungLens ms/step (CPU ms) | PyTorch ms/step (CPU ms) | LungLens steps/s | PyTorch "
      "steps/s | ratio LungLens/PyTorch (speed) | faults/step LungLens / PyTorch |\n"
      "|---|---|---|---|---|---|---|---|\n");
  for (const std::string& threads : thread_list)
    for (const std::string& arch : archs) {
      StepResult& r = results[{arch, threads}];
      for (int round = 0; round < rounds; ++round) {
        cppSteps(tr::parseArchitecture(arch), std::atoi(threads.c_str()), warmup, steps, r.ours);
        for (const WorkCost& c : pythonCosts("--mode step --arch " + arch + " --threads " + threads + " --warmup " +
                                                 std::to_string(warmup) + " --steps " + std::to_string(steps),
                                             "step"))
          r.theirs.wall_ms.push_back(c.wall_ms), r.theirs.cpu_ms.push_back(c.cpu_ms),
              r.theirs.faults.push_back(c.minor_faults);
      }
      const double ours = median(r.ours.wall_ms), theirs = median(r.theirs.wall_ms);
      std::printf("| %s | %s | %.0f (%.0f) | %.0f (%.0f) | %.3f | %.3f | %.2f | %.0f / %.0f |\n", arch.c_str(),
                  threads.c_str(), ours, median(r.ours.cpu_ms), theirs, median(r.theirs.cpu_ms), 1e3 / ours,
                  1e3 / theirs, theirs / ours, median(r.ours.faults), median(r.theirs.faults));
      std::fflush(stdout);
    }

  // 2. Whole epochs over the same preprocessed slices.
  if (epoch_slices > 0 && !epoch_archs.empty()) {
    const Prepared p = prepare(dir, epoch_slices);
    std::printf("\n%zu preprocessed slices, %d x %d x %d bytes each, batch %d\n\n", p.slices.size(),
                p.slices.image_channels, p.slices.image_height, p.slices.image_width, kBatch);
    std::printf(
        "| network | threads | round | side | epoch s | epoch images/s | CPU ms/image | step-rate images/s "
        "before / after | epoch / step rate | faults/image | epoch speed vs PyTorch |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (const std::string& threads : epoch_threads)
      for (const std::string& arch : epoch_archs) {
        const tr::Architecture architecture = tr::parseArchitecture(arch);
        const int t = std::atoi(threads.c_str());
        // Each epoch is bracketed by step-rate runs of the same side (steps before and after, same process state),
        // and its ratio is taken against their mean: on a VM whose speed drifts by 20-30 % over minutes, a step
        // rate measured in phase 1 says nothing about the epoch run minutes later. Alternated: the trainer as
        // `train` runs it (augmentation on), the trainer without augmentation, PyTorch.
        const double n = static_cast<double>(p.slices.size());
        auto oursRate = [&] {
          Samples s;
          cppSteps(architecture, t, warmup, bracket_steps, s);
          return kBatch * 1e3 / median(s.wall_ms);
        };
        auto theirsRate = [&] {
          std::vector<double> wall;
          for (const WorkCost& c : pythonCosts("--mode step --arch " + arch + " --threads " + threads + " --warmup " +
                                                   std::to_string(warmup) + " --steps " + std::to_string(bracket_steps),
                                               "step"))
            wall.push_back(c.wall_ms);
          return kBatch * 1e3 / median(wall);
        };
        std::vector<double> ratio_aug, ratio_plain, ratio_theirs, aug_vs_plain;
        for (int round = 0; round < epoch_rounds; ++round) {
          const double s0 = oursRate();
          const WorkCost augmented = cppEpoch(architecture, t, p, true);
          const double s1 = oursRate();
          const WorkCost plain = cppEpoch(architecture, t, p, false);
          const double s2 = oursRate();
          const double p0 = theirsRate();
          const auto theirs_list =
              pythonCosts("--mode epoch --arch " + arch + " --threads " + threads + " --warmup 2 --images '" +
                              p.images_raw.string() + "' --labels '" + p.labels_raw.string() + "'",
                          "epoch");
          const double p1 = theirsRate();
          const WorkCost theirs = theirs_list.empty() ? WorkCost{NAN, NAN, NAN} : theirs_list.front();
          const double rate_theirs = n * 1e3 / theirs.wall_ms;
          auto row = [&](const char* side, const WorkCost& c, double step_before, double step_after) {
            const double rate = n * 1e3 / c.wall_ms, step_rate = 0.5 * (step_before + step_after);
            std::printf("| %s | %s | %d | %s | %.1f | %.2f | %.0f | %.2f / %.2f | %.2f | %.0f | %.2f |\n", arch.c_str(),
                        threads.c_str(), round + 1, side, c.wall_ms / 1e3, rate, c.cpu_ms / n, step_before, step_after,
                        rate / step_rate, c.minor_faults / n, rate / rate_theirs);
            return rate / step_rate;
          };
          ratio_aug.push_back(row("LungLens trainer, augmentation on (as `train`)", augmented, s0, s1));
          ratio_plain.push_back(row("LungLens trainer, augmentation off", plain, s1, s2));
          ratio_theirs.push_back(row("PyTorch DataLoader (flip only)", theirs, p0, p1));
          aug_vs_plain.push_back(plain.wall_ms / augmented.wall_ms);
          std::fflush(stdout);
        }
        std::printf(
            "\n%s, %s threads, median over %d rounds: epoch / bracketing step rate %.2f with augmentation, "
            "%.2f without, PyTorch %.2f; augmented epoch speed / augmentation-free %.2f\n\n",
            arch.c_str(), threads.c_str(), epoch_rounds, median(ratio_aug), median(ratio_plain), median(ratio_theirs),
            median(aug_vs_plain));
        std::fflush(stdout);
      }
  }
  std::ifstream("/proc/loadavg") >> load[0] >> load[1] >> load[2];
  std::printf("\nload average at end %.2f %.2f %.2f\n", load[0], load[1], load[2]);
  return 0;
}
