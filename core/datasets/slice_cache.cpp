#include "core/datasets/slice_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/paths.h"
#include "core/inference/preprocess.h"
#include "core/common/sha256.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kCacheFormat = 1;
constexpr const char* kImagesFile = "images.u8";
constexpr const char* kMetaFile = "meta.json";

json contractJson(const inference::InputSpec& spec) {
  json windows = json::array();
  for (const auto& w : spec.channels) windows.push_back({{"level", w.level}, {"width", w.width}});
  return {{"cache_format", kCacheFormat},
          {"height", spec.height},
          {"width", spec.width},
          {"windows", windows},
          {"mean", spec.mean},
          {"std", spec.std},
          {"resize", "window, then bilinear (half-pixel centres) keeping the aspect ratio, air padding"},
          {"quantisation", "uint8, value / 255"}};
}

std::string readBytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), "cannot read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs of consecutive slices to decode together: a NIfTI volume's slices in one run (the volume is decoded once),
// other files in runs of 16.
std::vector<std::pair<int, int>> runsOf(const std::vector<training::SliceSample>& samples) {
  std::vector<std::pair<int, int>> runs;
  const int n = static_cast<int>(samples.size());
  for (int start = 0; start < n;) {
    int end = start + 1;
    if (samples[static_cast<std::size_t>(start)].frame >= 0) {
      while (end < n && samples[static_cast<std::size_t>(end)].file == samples[static_cast<std::size_t>(start)].file)
        ++end;
    } else {
      while (end < n && end - start < 16 && samples[static_cast<std::size_t>(end)].frame < 0) ++end;
    }
    runs.emplace_back(start, end);
    start = end;
  }
  return runs;
}

void build(const fs::path& folder, const fs::path& dataset_dir, const CanonicalDataset& dataset,
           const inference::InputSpec& spec, const json& meta, const CacheOptions& options) {
  const training::Dataset all = toTrainingDataset(dataset, dataset_dir, inference::Task::Diagnosis);
  const std::size_t per_image = spec.valuesPerImage();
  // Unit values (windowed [0, 1]): the shared preprocessing with mean 0, std 1.
  inference::InputSpec unit = spec;
  std::fill(unit.mean.begin(), unit.mean.end(), 0.0);
  std::fill(unit.std.begin(), unit.std.end(), 1.0);

  fs::create_directories(folder);
  const fs::path tmp = folder / (std::string(kImagesFile) + ".tmp" + std::to_string(::getpid()));
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) throw InputError(tmp.string(), "cannot write the dataset cache");
  try {
    const auto runs = runsOf(all.samples);
    const int threads = std::max(1, options.threads);
    int done = 0;
    // Waves of `threads` runs decoded in parallel, written in order; buffers are input-sized, reused per thread.
    for (std::size_t wave = 0; wave < runs.size(); wave += static_cast<std::size_t>(threads)) {
      const std::size_t wave_end = std::min(runs.size(), wave + static_cast<std::size_t>(threads));
      std::vector<std::vector<std::uint8_t>> bytes(wave_end - wave);
      parallelFor(static_cast<int>(wave), static_cast<int>(wave_end), threads, [&](int r) {
        const auto [begin, end] = runs[static_cast<std::size_t>(r)];
        auto& block = bytes[static_cast<std::size_t>(r) - wave];
        block.resize(per_image * static_cast<std::size_t>(end - begin));
        std::vector<float> values(per_image);
        for (int i = begin; i < end; ++i) {
          const training::SliceSample& sample = all.samples[static_cast<std::size_t>(i)];
          training::HuSlice hu;
          try {
            hu = training::loadHu(sample);
          } catch (const InputError& e) {
            throw InputError(sample.file.string() + (sample.frame >= 0 ? " slice " + std::to_string(sample.frame) : ""),
                             e.what());
          }
          inference::preprocessSlice(hu.hu.data(), hu.rows, hu.cols, unit, values.data());
          std::uint8_t* dst = block.data() + per_image * static_cast<std::size_t>(i - begin);
          for (std::size_t k = 0; k < per_image; ++k)
            dst[k] = static_cast<std::uint8_t>(std::lround(std::clamp(values[k], 0.0f, 1.0f) * 255.0f));
        }
      });
      for (const auto& block : bytes) {
        out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
        done += static_cast<int>(block.size() / per_image);
      }
      if (options.progress) options.progress(done, static_cast<int>(all.samples.size()));
    }
    out.close();
    if (!out) throw InputError(tmp.string(), "cannot write the dataset cache (disk full?)");
    writeFileAtomically(folder / kMetaFile, meta.dump(2) + "\n", true);
    fs::rename(tmp, folder / kImagesFile);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

}  // namespace

fs::path SliceCache::folderFor(const fs::path& dataset_dir, const inference::InputSpec& spec) {
  const std::string manifest = readBytes(dataset_dir / kManifestFile);
  const std::string key = core::sha256Hex(contractJson(spec).dump() + "\n" + core::sha256Hex(manifest));
  return dataset_dir / "cache" / key.substr(0, 16);
}

std::shared_ptr<const SliceCache> SliceCache::open(const fs::path& dataset_dir, const CanonicalDataset& dataset,
                                                   const inference::InputSpec& spec, const CacheOptions& options) {
  if (spec.channels.empty() || spec.height < 1 || spec.width < 1)
    throw InputError("dataset cache", "empty model input");
  const fs::path folder = folderFor(dataset_dir, spec);
  const std::size_t per_image = spec.valuesPerImage();
  json meta = {{"contract", contractJson(spec)},
               {"dataset", dataset.name},
               {"count", dataset.sliceCount()},
               {"bytes_per_image", per_image}};
  std::shared_ptr<SliceCache> cache(new SliceCache());
  const fs::path images = folder / kImagesFile;
  if (!fs::is_regular_file(images) || fs::file_size(images) != per_image * dataset.sliceCount()) {
    build(folder, dataset_dir, dataset, spec, meta, options);
    cache->built_now_ = true;
  }
  cache->folder_ = folder;
  cache->count_ = dataset.sliceCount();
  cache->channels_ = static_cast<int>(spec.channels.size());
  cache->height_ = spec.height;
  cache->width_ = spec.width;
  cache->map_bytes_ = per_image * cache->count_;
  const int fd = ::open(images.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(images.string(), "cannot open the dataset cache");
  void* map = ::mmap(nullptr, cache->map_bytes_, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw InputError(images.string(), "cannot map the dataset cache");
  cache->map_ = static_cast<const std::uint8_t*>(map);
  return cache;
}

SliceCache::~SliceCache() {
  if (map_) ::munmap(const_cast<std::uint8_t*>(map_), map_bytes_);
}

std::size_t SliceCache::bytesPerImage() const {
  return static_cast<std::size_t>(channels_) * static_cast<std::size_t>(height_) * static_cast<std::size_t>(width_);
}

const std::uint8_t* SliceCache::image(std::size_t i) const {
  if (i >= count_) throw InputError(folder_.string(), "no cached slice " + std::to_string(i));
  return map_ + i * bytesPerImage();
}

void SliceCache::normalise(std::size_t i, const inference::InputSpec& spec, float* out) const {
  if (static_cast<int>(spec.channels.size()) != channels_ || spec.height != height_ || spec.width != width_)
    throw InputError(folder_.string(), "the cache was made for another model input");
  const std::uint8_t* src = image(i);
  const std::size_t plane = static_cast<std::size_t>(height_) * static_cast<std::size_t>(width_);
  float lut[256];
  for (int c = 0; c < channels_; ++c) {
    const double mean = spec.mean.at(static_cast<std::size_t>(c)), sd = spec.std.at(static_cast<std::size_t>(c));
    for (int b = 0; b < 256; ++b) lut[b] = static_cast<float>((b / 255.0 - mean) / sd);
    const std::uint8_t* s = src + static_cast<std::size_t>(c) * plane;
    float* d = out + static_cast<std::size_t>(c) * plane;
    for (std::size_t k = 0; k < plane; ++k) d[k] = lut[s[k]];
  }
}

training::LoadedSlices SliceCache::load(const training::Dataset& data) const {
  training::LoadedSlices out;
  out.num_classes = static_cast<int>(data.classes.size());
  out.image_channels = channels_;
  out.image_height = height_;
  out.image_width = width_;
  out.images_owner = shared_from_this();
  for (const auto& sample : data.samples) {
    if (sample.cache_index < 0) throw InternalError("SliceCache::load: a sample without a cache index");
    out.images.push_back(image(static_cast<std::size_t>(sample.cache_index)));
    out.labels.push_back(sample.label);
  }
  return out;
}

}  // namespace lunglens::core::datasets
