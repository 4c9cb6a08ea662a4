#pragma once
// The preprocessed cache of a canonical dataset: every slice decoded, windowed and resized to the model input ONCE
// (the first epoch), then kept as one read-only memory-mapped file of bytes, so later epochs and evaluations read
// small tensors, not PNG/DICOM/NIfTI, and allocate nothing per image.
//
// DATASET_DIR/cache/<key>/images.u8: slice i (dataset order, canonical.h) at i * channels*height*width, each channel
// the windowed [0, 1] value (core/inference/preprocess.h: window, then bilinear resize keeping the aspect ratio, air
// padding) quantised to a byte (value / 255). meta.json says what it holds. <key> hashes the preprocessing contract
// (input size, windows, normalisation, the resize rule and the cache format) and dataset.json's bytes, so a cache
// made under another contract or for another import is never read; a changed contract builds a new one beside it.
// Normalisation is applied when reading (it is in the key all the same, as the contract is one thing).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/datasets/canonical.h"
#include "core/inference/manifest.h"
#include "core/training/dataset.h"

namespace lunglens::core::datasets {

struct CacheOptions {
  int threads = 1;
  std::function<void(int done, int total)> progress;  // while building
};

class SliceCache : public std::enable_shared_from_this<SliceCache> {
 public:
  // Opens the cache of `dataset` (read from dataset_dir) for `spec`, building it first when there is none for this
  // contract. A build writes a temporary file and renames it at the end: an interrupted build leaves no cache.
  // Throws InputError naming the slice that cannot be decoded.
  static std::shared_ptr<const SliceCache> open(const std::filesystem::path& dataset_dir,
                                                const CanonicalDataset& dataset, const inference::InputSpec& spec,
                                                const CacheOptions& options = {});
  // The folder a contract's cache lives in (whether or not it exists yet).
  static std::filesystem::path folderFor(const std::filesystem::path& dataset_dir, const inference::InputSpec& spec);

  ~SliceCache();
  SliceCache(const SliceCache&) = delete;
  SliceCache& operator=(const SliceCache&) = delete;

  std::size_t count() const { return count_; }
  int channels() const { return channels_; }
  int height() const { return height_; }
  int width() const { return width_; }
  std::size_t bytesPerImage() const;
  bool builtNow() const { return built_now_; }  // this open() decoded the slices
  const std::filesystem::path& folder() const { return folder_; }
  const std::uint8_t* image(std::size_t i) const;  // InputError if i >= count()
  // The model input of image i: (byte / 255 - mean) / std per channel, channels*height*width floats.
  void normalise(std::size_t i, const inference::InputSpec& spec, float* out) const;

  // The samples of `data` (from toTrainingDataset, so cache_index is set) as LoadedSlices over this cache.
  training::LoadedSlices load(const training::Dataset& data) const;

 private:
  SliceCache() = default;
  std::filesystem::path folder_;
  std::size_t count_ = 0;
  int channels_ = 0, height_ = 0, width_ = 0;
  bool built_now_ = false;
  const std::uint8_t* map_ = nullptr;
  std::size_t map_bytes_ = 0;
};

}  // namespace lunglens::core::datasets
