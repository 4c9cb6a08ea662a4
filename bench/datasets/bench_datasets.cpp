// bench_datasets: data loading + preprocessing per training epoch, one thread, on a generated set of 8-bit PNG
// slices of varied sizes (the public 2-D COVID-19 CT sets' shape: ~750 images, up to ~1700 px wide).
//   LungLens: an images-csv import, epoch 1 builds the preprocessed cache (decode, window, resize once) and makes
//   the trainer's batches (core/training makeBatch, no augmentation); later epochs make them from the cache.
//   Baseline, same invocation: Debian's python3-torch/torchvision, a Dataset + DataLoader doing decode + resize +
//   normalise every epoch (torchvision_loader.py).
// Page faults per image: getrusage ru_minflt over each epoch. Usage: bench_datasets [--images 750] [--size 224]
// [--epochs 3] [--dir DIR]. Results: docs/PERFORMANCE.md, "Datasets".
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/common/child_json.h"
#include "bench/common/imported_png_set.h"
#include "core/common/paths.h"
#include "core/datasets/importer.h"
#include "core/datasets/slice_cache.h"
#include "core/io/png.h"
#include "core/training/architecture.h"
#include "core/training/augment.h"

namespace fs = std::filesystem;
namespace ds = lunglens::core::datasets;
namespace tr = lunglens::core::training;
using Clock = std::chrono::steady_clock;

using lunglens::bench::jsonNumber;
using lunglens::bench::runCommand;

namespace {

long minorFaults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

struct Epoch {
  double seconds = 0;
  double faults_per_image = 0;
};



}  // namespace

int main(int argc, char** argv) {
  int images = 750, size = 224, epochs = 3, batch = 16;
  fs::path dir = lunglens::core::executableDir().parent_path() / "bench-scratch" / "datasets";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--images") images = std::atoi(argv[i + 1]);
    if (a == "--size") size = std::atoi(argv[i + 1]);
    if (a == "--epochs") epochs = std::max(2, std::atoi(argv[i + 1]));
    if (a == "--dir") dir = argv[i + 1];
  }
  at::set_num_threads(1);
  std::cerr << "bench_datasets: generating " << images << " PNG slices in " << dir << " (kept for later runs)\n";
  // A fresh dataset.json: a fresh cache key, so epoch 1 decodes everything. The PNGs are in dir/png-set.
  const fs::path dataset = lunglens::bench::importedImageSet(dir, images, "bench_datasets", 300, 1700);
  const ds::CanonicalDataset d = ds::readDataset(dataset);
  tr::NetworkSpec unused;
  const auto spec = tr::trainingManifest(lunglens::core::inference::Task::Diagnosis, size, unused).input;
  const tr::Dataset data = ds::toTrainingDataset(d, dataset, lunglens::core::inference::Task::Diagnosis);

  // LungLens: each epoch = (open the cache: epoch 1 builds it) + every batch in a shuffled order.
  std::vector<Epoch> ours;
  std::shared_ptr<const ds::SliceCache> cache;
  tr::LoadedSlices loaded;
  double checksum = 0;
  for (int e = 1; e <= epochs; ++e) {
    const long f0 = minorFaults();
    const auto t0 = Clock::now();
    if (!cache) {
      cache = ds::SliceCache::open(dataset, d, spec);
      loaded = cache->load(data);
    }
    std::vector<int> order(loaded.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(static_cast<std::uint64_t>(e));
    std::shuffle(order.begin(), order.end(), rng);
    tr::AugmentOptions augment;
    for (std::size_t start = 0; start < order.size(); start += static_cast<std::size_t>(batch)) {
      const std::vector<int> idx(order.begin() + static_cast<std::ptrdiff_t>(start),
                                 order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), start + batch)));
      const torch::Tensor x = tr::makeBatch(loaded, idx, spec, augment, false, rng);
      checksum += x[0][0][0][0].item<float>();
    }
    ours.push_back({std::chrono::duration<double>(Clock::now() - t0).count(),
                    static_cast<double>(minorFaults() - f0) / static_cast<double>(loaded.size())});
  }

  // Baseline: torchvision, same images, same size, same invocation.
  const char* source_env = std::getenv("LUNGLENS_SOURCE_DIR");
  const std::string script =
      std::string(source_env ? source_env : LUNGLENS_SOURCE_DIR) + "/bench/datasets/torchvision_loader.py";
  const fs::path labels = dir / "png-set" / "labels.csv";
  const std::string out = runCommand("/usr/bin/python3 " + script + " --csv '" + labels.string() +
                              "' --size " + std::to_string(size) + " --epochs " + std::to_string(epochs) +
                              " --batch " + std::to_string(batch));
  std::vector<Epoch> theirs;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (line.find("\"epoch\"") != std::string::npos)
      theirs.push_back({jsonNumber(line, "seconds"), jsonNumber(line, "minflt") / jsonNumber(line, "images")});

  std::printf("# bench_datasets: %d PNG slices (300-1700 px wide), %d px input, batch %d, 1 thread\n", images, size,
              batch);
  std::printf("| epoch | LungLens s | LungLens images/s | LungLens faults/image | torchvision s | torchvision "
              "images/s | torchvision faults/image |\n|---|---|---|---|---|---|---|\n");
  for (int e = 0; e < epochs; ++e) {
    const Epoch& a = ours[static_cast<std::size_t>(e)];
    const Epoch b = e < static_cast<int>(theirs.size()) ? theirs[static_cast<std::size_t>(e)] : Epoch{NAN, NAN};
    std::printf("| %d | %.2f | %.0f | %.0f | %.2f | %.0f | %.0f |\n", e + 1, a.seconds, images / a.seconds,
                a.faults_per_image, b.seconds, images / b.seconds, b.faults_per_image);
  }
  double later = 0, later_faults = 0, base = 0;
  for (int e = 1; e < epochs; ++e) {
    later += ours[static_cast<std::size_t>(e)].seconds / (epochs - 1);
    later_faults = std::max(later_faults, ours[static_cast<std::size_t>(e)].faults_per_image);
  }
  for (const auto& t : theirs) base += t.seconds / static_cast<double>(theirs.size());
  std::printf("\nLungLens later epochs vs its first: %.1fx faster (target >= 5x); later epochs at most %.0f page "
              "faults per image (target <= 1000)\n",
              ours[0].seconds / later, later_faults);
  std::printf("LungLens first epoch vs torchvision epoch: %.2fx; LungLens later epoch vs torchvision epoch: %.1fx\n",
              base / ours[0].seconds, base / later);
  std::fprintf(stderr, "(checksum %.3f)\n", checksum);
  return theirs.empty() ? 1 : 0;
}
