// The preprocessed cache: built once, reused, keyed by the preprocessing contract and the import, and holding what
// the shared preprocessing gives (to a byte); the trainer's batches from it match batches from decoded slices.
#include <gtest/gtest.h>

#include <cmath>

#include "core/datasets/importer.h"
#include "core/datasets/slice_cache.h"
#include "core/inference/preprocess.h"
#include "core/training/architecture.h"
#include "core/training/augment.h"
#include "tests/common/test_paths.h"
#include "tests/datasets/fixtures.h"

namespace lunglens::test::datasets {
namespace {

namespace fs = std::filesystem;
namespace ds = core::datasets;
namespace inf = core::inference;

inf::InputSpec specOf(int size) {
  core::training::NetworkSpec unused;
  return core::training::trainingManifest(inf::Task::Diagnosis, size, unused).input;
}

fs::path importedImages(const fs::path& dir, bool overwrite = false) {
  ds::ImportOptions o;
  o.format = "images-csv";
  o.source = fs::exists(dir / "src") ? dir / "src" : writeImagesCsv(dir / "src");
  o.out = dir / "dataset";
  o.overwrite = overwrite;
  ds::importDataset(o);
  return o.out;
}

TEST(SliceCache, BuildsOnceHoldsThePreprocessedSlicesAndFollowsTheContract) {
  const fs::path dir = scratchDir("cache");
  const fs::path dataset = importedImages(dir);
  const auto d = ds::readDataset(dataset);
  const inf::InputSpec spec = specOf(48);
  const auto first = ds::SliceCache::open(dataset, d, spec);
  EXPECT_TRUE(first->builtNow());
  ASSERT_EQ(first->count(), d.sliceCount());
  EXPECT_EQ(fs::file_size(first->folder() / "images.u8"), d.sliceCount() * spec.valuesPerImage());
  const auto again = ds::SliceCache::open(dataset, d, spec);
  EXPECT_FALSE(again->builtNow());
  EXPECT_EQ(again->folder(), first->folder());

  // Each cached image is the shared preprocessing of the decoded slice, to within one grey level.
  const auto data = ds::toTrainingDataset(d, dataset, inf::Task::Diagnosis);
  std::vector<float> cached(spec.valuesPerImage());
  for (std::size_t i = 0; i < data.samples.size(); i += 7) {
    const auto hu = core::training::loadHu(data.samples[i]);
    const auto direct = inf::preprocessSlice(hu.hu.data(), hu.rows, hu.cols, spec);
    again->normalise(static_cast<std::size_t>(data.samples[i].cache_index), spec, cached.data());
    float worst = 0;
    for (std::size_t k = 0; k < direct.size(); ++k) worst = std::max(worst, std::abs(direct[k] - cached[k]));
    EXPECT_LE(worst, 0.6f / 255.0f / static_cast<float>(spec.std[0]) + 1e-5f) << i;
  }

  // Another input size or window is another contract: another cache beside this one.
  inf::InputSpec windows = spec;
  windows.channels[0].level += 50;
  EXPECT_NE(ds::SliceCache::folderFor(dataset, specOf(32)), first->folder());
  EXPECT_NE(ds::SliceCache::folderFor(dataset, windows), first->folder());
  inf::InputSpec normalised = spec;
  normalised.mean[0] = 0.25;
  EXPECT_NE(ds::SliceCache::folderFor(dataset, normalised), first->folder());
  // A new import (new dataset.json) never reads the old cache.
  importedImages(dir, /*overwrite=*/true);
  const auto fresh = ds::SliceCache::open(dataset, ds::readDataset(dataset), spec);
  EXPECT_TRUE(fresh->builtNow());
}

TEST(SliceCache, TrainerBatchesFromTheCacheMatchBatchesFromDecodedSlices) {
  const fs::path dir = scratchDir("cache-batches");
  const fs::path dataset = importedImages(dir);
  const auto d = ds::readDataset(dataset);
  const inf::InputSpec spec = specOf(40);
  const auto data = ds::toTrainingDataset(d, dataset, inf::Task::Diagnosis);
  const auto cache = ds::SliceCache::open(dataset, d, spec);
  const core::training::LoadedSlices from_cache = cache->load(data);
  const core::training::LoadedSlices decoded = core::training::loadAll(data);
  ASSERT_EQ(from_cache.size(), decoded.size());
  EXPECT_EQ(from_cache.labels, decoded.labels);
  EXPECT_TRUE(from_cache.slices.empty());  // no full-resolution copies held
  const std::vector<int> idx = {0, 5, 17, 40, 55};
  core::training::AugmentOptions options;
  std::mt19937_64 rng_a(1), rng_b(1);
  const auto a = core::training::makeBatch(from_cache, idx, spec, options, false, rng_a);
  const auto b = core::training::makeBatch(decoded, idx, spec, options, false, rng_b);
  EXPECT_LE((a - b).abs().max().item<float>(), 0.6f / 255.0f / static_cast<float>(spec.std[0]) + 1e-5f);
  // Augmented batches from the cache are valid inputs of the same shape (jitter, noise and geometry applied).
  const auto augmented = core::training::makeBatch(from_cache, idx, spec, options, true, rng_a);
  EXPECT_EQ(augmented.sizes(), a.sizes());
  EXPECT_TRUE(torch::isfinite(augmented).all().item<bool>());
  EXPECT_GT((augmented - a).abs().mean().item<float>(), 0.0f);
}

}  // namespace
}  // namespace lunglens::test::datasets
