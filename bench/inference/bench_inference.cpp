// bench_inference: the inference speed claims, each measured against a baseline in the same run.
//  1. ResNet18 at 224x224 (random weights, exported from torchvision) scored by our Model vs the same weights run
//     eagerly by Debian's python3-torch (/usr/bin/python3) — images/s, ratio; plus the machine's measured FP32
//     matmul peak (at::mm, same thread count) and the fraction of it reached.
//  2. Grad-CAM of one slice vs one forward pass.
//  3. The engine on a 300-slice 512x512 series: first (focus) score after open, all scored, cancel latency.
// Usage: bench_inference [--threads N] [--batch B] [--iters K] [--rounds R] [--gradcam-only]. Results go in docs/PERFORMANCE.md ("Inference").
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <random>
#include <string>

#include <sys/resource.h>

#include <torch/torch.h>

#include "bench/common/child_json.h"
#include "bench/common/work_meter.h"
#include "core/common/paths.h"
#include "core/inference/engine.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"

namespace fs = std::filesystem;
using namespace lunglens::core;
using namespace lunglens::core::inference;
using Clock = std::chrono::steady_clock;

using lunglens::bench::jsonNumber;
using lunglens::bench::runCommand;

namespace {

constexpr double kResNet18Flops = 2.0 * 1.814e9;  // 1.814 GMAC per 224x224 image (torchvision's figure)

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU time of this process (all threads, user + system): on a shared machine, the work done, whatever the wait.
double cpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}



double matmulPeakGflops() {
  const int n = 2048;
  const at::Tensor a = torch::randn({n, n}), b = torch::randn({n, n});
  at::Tensor c = torch::mm(a, b);
  double best = 0.0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = Clock::now();
    for (int i = 0; i < 3; ++i) c = torch::mm(a, b);
    best = std::max(best, 3 * 2.0 * n * n * n / seconds(t0, Clock::now()) / 1e9);
  }
  return best;
}

std::vector<std::int16_t> phantomSlice(int size, int z) {
  std::mt19937 rng(static_cast<unsigned>(z));
  std::normal_distribution<double> noise(0.0, 30.0);
  std::vector<std::int16_t> hu(static_cast<std::size_t>(size) * size);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const double dx = (x - size / 2.0) / (size * 0.42), dy = (y - size / 2.0) / (size * 0.32);
      const double r = dx * dx + dy * dy;
      hu[static_cast<std::size_t>(y) * size + x] =
          static_cast<std::int16_t>((r < 0.8 ? -850.0 : (r < 1.0 ? 40.0 : -1000.0)) + noise(rng));
    }
  return hu;
}

// Images/s of one timed round of `iters` forwards of a batch (after the caller's warm-up).
double imagesPerSecond(const Model& model, const std::vector<float>& input, int batch, int iters) {
  const auto t0 = Clock::now();
  for (int i = 0; i < iters; ++i) model.predict(input.data(), batch);
  return batch * iters / seconds(t0, Clock::now());
}

struct EngineTimes {
  double first_score_s = 0, all_scored_s = 0, cpu_s = 0, minor_faults = 0;
};

EngineTimes engineRun(const ModelPtr& model, int threads, int slices) {
  volume::Geometry g;
  g.cols = g.rows = 512;
  g.slices = slices;
  auto vol = std::make_shared<volume::Volume>(g);
  for (int z = 0; z < slices; ++z) {
    const auto s = phantomSlice(512, z);
    std::copy(s.begin(), s.end(), vol->mutableSlice(z));
  }
  vol->markAllReady();
  EngineOptions options;
  options.threads = threads;
  InferenceEngine engine(model, nullptr, options);
  std::mutex m;
  std::condition_variable cv;
  Clock::time_point first{}, done{};
  bool finished = false;
  engine.setListener([&](const EngineEvent& e) {
    std::lock_guard<std::mutex> lock(m);
    if (e.kind == EngineEvent::Kind::Diagnosis && first == Clock::time_point{}) first = Clock::now();
    if (e.kind == EngineEvent::Kind::AllScored) {
      done = Clock::now();
      finished = true;
      cv.notify_all();
    }
  });
  const double cpu0 = cpuSeconds();
  const lunglens::bench::WorkMeter meter;
  const auto t0 = Clock::now();
  engine.openSeries("bench", vol, slices / 2);
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return finished; });
  return {seconds(t0, first), seconds(t0, done), cpuSeconds() - cpu0, meter.elapsed().minor_faults};
}

// Cancelling at a random moment while a 300-slice series is being scored: how long closeSeries() takes to return
// (from then on nothing of the series reaches the store or the listener) and how long until the worker is free
// for the next series (the batch in flight finishes first).
struct CancelTimes {
  std::vector<double> close_ms, free_ms;
};

CancelTimes cancelLatencies(const ModelPtr& model, int threads, int tries) {
  volume::Geometry g;
  g.cols = g.rows = 512;
  g.slices = 300;
  auto vol = std::make_shared<volume::Volume>(g);
  for (int z = 0; z < g.slices; ++z) {
    const auto s = phantomSlice(512, z % 7);
    std::copy(s.begin(), s.end(), vol->mutableSlice(z));
  }
  vol->markAllReady();
  EngineOptions options;
  options.threads = threads;
  InferenceEngine engine(model, nullptr, options);
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> delay_ms(0, 100);
  CancelTimes out;
  for (int t = 0; t < tries; ++t) {
    engine.openSeries("cancel-" + std::to_string(t), vol, 150);
    while (engine.progress().diagnosed < 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));  // land anywhere inside a batch
    const auto t0 = Clock::now();
    engine.closeSeries();
    out.close_ms.push_back(seconds(t0, Clock::now()) * 1000.0);
    engine.waitForWorkerFree();
    out.free_ms.push_back(seconds(t0, Clock::now()) * 1000.0);
  }
  std::sort(out.close_ms.begin(), out.close_ms.end());
  std::sort(out.free_ms.begin(), out.free_ms.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2, batch = 8, iters = 4, rounds = 3;
  bool gradcam_only = false;  // --gradcam-only: load the bundle, time Grad-CAM vs forward, stop
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--gradcam-only") gradcam_only = true;
    if (a == "--threads" && has_value) threads = std::atoi(argv[++i]);
    if (a == "--batch" && has_value) batch = std::atoi(argv[++i]);
    if (a == "--iters" && has_value) iters = std::atoi(argv[++i]);
    if (a == "--rounds" && has_value) rounds = std::atoi(argv[++i]);
  }
  configureInferenceThreads(threads);
  const fs::path work = executableDir().parent_path() / "bench-scratch" / "inference";
  fs::create_directories(work);
  const char* source_env = std::getenv("LUNGLENS_SOURCE_DIR");  // when run from another checkout
  const std::string script =
      std::string(source_env ? source_env : LUNGLENS_SOURCE_DIR) + "/bench/inference/resnet18_baseline.py";
  const fs::path bundle = work / "resnet18-bundle";
  if (!fs::exists(bundle / "manifest.json")) runCommand("/usr/bin/python3 " + script + " export --workdir " + work.string());
  const auto python = [&](int b) {
    const std::string out = runCommand("/usr/bin/python3 " + script + " bench --workdir " + work.string() + " --threads " +
                                std::to_string(threads) + " --batch " + std::to_string(b) + " --iters " +
                                std::to_string(iters));
    return jsonNumber(out, "images_per_s");
  };

  std::cout << "# bench_inference: " << threads << " thread(s), batch " << batch << ", " << iters << " iters\n";
  const double peak = matmulPeakGflops();
  std::cout << "FP32 matmul peak (at::mm 2048^2): " << peak << " GFLOP/s\n";

  // Baseline and variants interleaved, round after round, each keeping its best round: on a shared machine this
  // gives every contender the same chances against other load.
  const auto plain = Model::load(bundle, {false, false});
  const auto fast = Model::load(bundle, {true, false});
  const auto fast_cl = Model::load(bundle, {true, true});
  std::cout << "paths: " << plain->executionPaths() << " | " << fast->executionPaths() << " | "
            << fast_cl->executionPaths() << "\n";
  struct Row {
    std::string name;
    const Model* model;
    double b1 = 0, bb = 0;
  };
  std::vector<Row> rows{{"C++ plain TorchScript (no freeze)", plain.get()},
                        {"C++ frozen + optimize_for_inference (default)", fast.get()},
                        {"C++ frozen + optimized + channels-last", fast_cl.get()}};
  const auto slice = phantomSlice(512, 1);
  const std::size_t per = fast->valuesPerImage();
  std::vector<float> input(per * std::max(batch, 8));
  for (int i = 0; i < std::max(batch, 8); ++i)
    preprocessSlice(slice.data(), 512, 512, fast->manifest().input, input.data() + i * per);
  for (auto& r : rows)
    for (int w = 0; w < 2; ++w) r.model->predict(input.data(), batch), r.model->predict(input.data(), 1);
  double py1 = 0, pyb = 0;
  for (int round = 0; round < (gradcam_only ? 0 : rounds); ++round) {
    pyb = std::max(pyb, python(batch));
    for (auto& r : rows) r.bb = std::max(r.bb, imagesPerSecond(*r.model, input, batch, iters));
    py1 = std::max(py1, python(1));
    for (auto& r : rows) r.b1 = std::max(r.b1, imagesPerSecond(*r.model, input, 1, iters * 2));
  }

  if (!gradcam_only) {
    std::cout << "\n| ResNet18 224x224, " << threads << " threads | images/s batch 1 | images/s batch " << batch
              << " | ratio vs Python (batch " << batch << ") | GFLOP/s | of matmul peak |\n|---|---|---|---|---|---|\n";
    std::cout << "| Python eager (Debian python3-torch) | " << py1 << " | " << pyb << " | 1.00 | "
              << pyb * kResNet18Flops / 1e9 << " | " << pyb * kResNet18Flops / 1e9 / peak << " |\n";
    for (const auto& r : rows)
      std::cout << "| " << r.name << " | " << r.b1 << " | " << r.bb << " | " << r.bb / pyb << " | "
                << r.bb * kResNet18Flops / 1e9 << " | " << r.bb * kResNet18Flops / 1e9 / peak << " |\n";

    // Batch scaling of the default path (what the engine's batch sizing trades against cancel latency).
    std::cout << "\nDefault path, ms per batch (images/s):";
    for (int b : {1, 2, 4, 8}) {
      double best = 0;
      for (int round = 0; round < rounds; ++round) best = std::max(best, imagesPerSecond(*fast, input, b, iters));
      std::cout << "  b" << b << " " << 1000.0 * b / best << " ms (" << best << ")";
    }
    std::cout << "\n";
  }

  // Grad-CAM vs one forward of the scoring path (batch 1): alternated, the fastest of each (other load only ever
  // adds time, so the minimum is the least disturbed measurement).
  {
    const auto slice3 = phantomSlice(512, 3);
    const auto one = preprocessSlice(slice3.data(), 512, 512, fast->manifest().input);
    fast->explain(one.data());
    fast->predict(one.data(), 1);
    double forward = 1e9, cam = 1e9;
    for (int i = 0; i < 4 * std::max(3, iters); ++i) {
      auto t0 = Clock::now();
      fast->predict(one.data(), 1);
      forward = std::min(forward, seconds(t0, Clock::now()));
      t0 = Clock::now();
      fast->explain(one.data());
      cam = std::min(cam, seconds(t0, Clock::now()));
    }
    auto t0 = Clock::now();
    for (int i = 0; i < 10; ++i) preprocessSlice(slice3.data(), 512, 512, fast->manifest().input);
    const double prep = seconds(t0, Clock::now()) / 10;
    // Page faults of one call each, warm (the fewest of 5: the allocator should reuse the earlier calls' memory).
    double forward_faults = 1e18, cam_faults = 1e18, prep_faults = 1e18;
    for (int i = 0; i < 5; ++i) {
      lunglens::bench::WorkMeter mf;
      fast->predict(one.data(), 1);
      forward_faults = std::min(forward_faults, mf.elapsed().minor_faults);
      lunglens::bench::WorkMeter mc;
      fast->explain(one.data());
      cam_faults = std::min(cam_faults, mc.elapsed().minor_faults);
      lunglens::bench::WorkMeter mp;
      preprocessSlice(slice3.data(), 512, 512, fast->manifest().input);
      prep_faults = std::min(prep_faults, mp.elapsed().minor_faults);
    }
    std::cout << "\nGrad-CAM: " << cam * 1000 << " ms vs forward " << forward * 1000 << " ms (fastest of "
              << 4 * std::max(3, iters) << " alternations) -> " << cam / forward
              << "x (limit 3x); preprocessing 512x512 -> 3x224x224: " << prep * 1000 << " ms\n"
              << "minor page faults per call, warm: forward " << forward_faults << ", Grad-CAM " << cam_faults
              << ", preprocessing " << prep_faults << "\n";
  }
  if (gradcam_only) return 0;

  const int slices = 300;
  const EngineTimes e = engineRun(fast, threads, slices);
  std::cout << "\nEngine, " << slices << " slices 512x512, " << threads << " threads: focus slice scored "
            << e.first_score_s * 1000 << " ms after open (limit 200 ms); all scored in " << e.all_scored_s
            << " s (limit 10 s) = " << slices / e.all_scored_s << " slices/s; CPU time " << e.cpu_s
            << " s (all threads) -> on " << threads << " idle cores about " << e.cpu_s / threads << " s; "
            << e.minor_faults / slices << " minor faults per slice\n";
  if (threads > 1) {
    const EngineTimes one = engineRun(fast, 1, slices);
    std::cout << "Engine, 1 thread: all scored in " << one.all_scored_s << " s; speed-up " << threads
              << " threads vs 1: " << one.all_scored_s / e.all_scored_s << "\n";
  }
  const CancelTimes c = cancelLatencies(fast, threads, 10);
  std::cout << "Cancel at a random moment, 10 tries: closeSeries() returns in max " << c.close_ms.back()
            << " ms; worker free for the next series: median " << c.free_ms[c.free_ms.size() / 2] << " ms, max "
            << c.free_ms.back() << " ms (limit 100 ms)\n";
  return 0;
}
