#include "core/training/augment.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/common/error.h"
#include "core/inference/preprocess.h"

namespace lunglens::core::training {

namespace {

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// Standard normal samples drawn once. Per pixel, std::normal_distribution costs more than the rest of an augmented
// image's preprocessing together (docs/PERFORMANCE.md, "Training"); an image instead takes a run of this table from
// a random start drawn from the rng: still white Gaussian noise, and a seeded rng still gives the same batch.
class GaussianTable {
 public:
  static const GaussianTable& instance() {
    static const GaussianTable table;
    return table;
  }
  // Value k of a run starting at `start` (wraps around the table).
  float at(std::size_t start, std::size_t k) const { return values_[(start + k) & kMask]; }
  std::size_t start(std::mt19937_64& rng) const { return static_cast<std::size_t>(rng()) & kMask; }

 private:
  static constexpr std::size_t kSize = std::size_t{1} << 20, kMask = kSize - 1;
  GaussianTable() : values_(kSize) {
    std::mt19937_64 rng(0x9e3779b97f4a7c15ULL);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (float& v : values_) v = normal(rng);
  }
  std::vector<float> values_;
};

// Per channel, the normalised value of air (what letterbox padding holds): the fill for rotated-in borders.
torch::Tensor airValues(const inference::InputSpec& spec) {
  std::vector<float> air;
  for (size_t c = 0; c < spec.channels.size(); ++c)
    air.push_back(static_cast<float>((inference::windowToUnit(inference::kAirHu, spec.channels[c]) - spec.mean.at(c)) /
                                     spec.std.at(c)));
  return torch::tensor(air).view({1, -1, 1, 1});
}

// Output-to-input affine map (affine_grid's convention): rotate by a, zoom by s, mirror x when flipped.
void drawGeometry(std::mt19937_64& rng, const AugmentOptions& options, bool augment, float* t) {
  const double a = augment ? uniform(rng, -options.max_rotation_deg, options.max_rotation_deg) * M_PI / 180.0 : 0;
  const double s = augment ? uniform(rng, 1.0 - options.max_scale_change, 1.0 + options.max_scale_change) : 1;
  const double flip = augment && uniform(rng, 0.0, 1.0) < options.flip_probability ? -1.0 : 1.0;
  t[0] = static_cast<float>(std::cos(a) / s * flip);
  t[1] = static_cast<float>(-std::sin(a) / s);
  t[3] = static_cast<float>(std::sin(a) / s * flip);
  t[4] = static_cast<float>(std::cos(a) / s);
}

// In place where it can be: each batch-sized temporary is ~10 MB of fresh pages at 224 px.
torch::Tensor applyGeometry(torch::Tensor batch, std::vector<float>& theta, const inference::InputSpec& spec) {
  const int64_t n = batch.size(0), channels = batch.size(1);
  const torch::Tensor affine = torch::from_blob(theta.data(), {n, 2, 3}, torch::kFloat).clone();
  const torch::Tensor grid = torch::nn::functional::affine_grid(affine, {n, channels, spec.height, spec.width}, false);
  const torch::Tensor air = airValues(spec);
  namespace F = torch::nn::functional;
  torch::Tensor out = F::grid_sample(
      batch.sub_(air), grid,
      F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
  return out.add_(air);
}

}  // namespace

torch::Tensor makeBatch(const std::vector<HuSlice>& slices, const std::vector<int>& indices,
                        const inference::InputSpec& spec, const AugmentOptions& options, bool augment,
                        std::mt19937_64& rng) {
  augment = augment && options.enabled;
  const auto n = static_cast<int64_t>(indices.size());
  const auto channels = static_cast<int64_t>(spec.channels.size());
  torch::Tensor batch = torch::empty({n, channels, spec.height, spec.width});
  std::vector<float> theta(static_cast<size_t>(n) * 6, 0.0f);
  for (int64_t i = 0; i < n; ++i) {
    const HuSlice& slice = slices.at(static_cast<size_t>(indices[static_cast<size_t>(i)]));
    inference::InputSpec jittered = spec;
    thread_local std::vector<std::int16_t> noisy;  // reused: a fresh slice-sized buffer per image costs page faults
    const std::int16_t* hu = slice.hu.data();
    if (augment) {
      for (auto& w : jittered.channels) {
        w.level += uniform(rng, -options.window_level_jitter_hu, options.window_level_jitter_hu);
        w.width *= uniform(rng, 1.0 - options.window_width_jitter, 1.0 + options.window_width_jitter);
      }
      const double sigma = uniform(rng, 0.0, options.max_noise_hu);
      if (sigma > 0.0) {
        const GaussianTable& normal = GaussianTable::instance();
        const std::size_t start = normal.start(rng);
        noisy.resize(slice.hu.size());
        for (size_t k = 0; k < noisy.size(); ++k)
          noisy[k] = static_cast<std::int16_t>(
              std::clamp(slice.hu[k] + sigma * normal.at(start, k), -32768.0, 32767.0));
        hu = noisy.data();
      }
    }
    inference::preprocessSlice(hu, slice.rows, slice.cols, jittered, batch[i].data_ptr<float>());
    drawGeometry(rng, options, augment, theta.data() + 6 * i);
  }
  return augment ? applyGeometry(batch, theta, spec) : batch;
}

torch::Tensor makeBatch(const LoadedSlices& data, const std::vector<int>& indices, const inference::InputSpec& spec,
                        const AugmentOptions& options, bool augment, std::mt19937_64& rng) {
  if (data.images.empty()) return makeBatch(data.slices, indices, spec, options, augment, rng);
  if (data.image_channels != static_cast<int>(spec.channels.size()) || data.image_height != spec.height ||
      data.image_width != spec.width)
    throw InputError("dataset cache", "images are " + std::to_string(data.image_channels) + "x" +
                                          std::to_string(data.image_height) + "x" + std::to_string(data.image_width) +
                                          ", the model input differs");
  augment = augment && options.enabled;
  const auto n = static_cast<int64_t>(indices.size());
  const auto channels = static_cast<int64_t>(spec.channels.size());
  const std::size_t plane = static_cast<std::size_t>(spec.height) * static_cast<std::size_t>(spec.width);
  torch::Tensor batch = torch::empty({n, channels, spec.height, spec.width});
  float* out = batch.data_ptr<float>();
  std::vector<float> theta(static_cast<size_t>(n) * 6, 0.0f);
  float lut[256];
  for (int64_t i = 0; i < n; ++i) {
    const std::uint8_t* image = data.images.at(static_cast<size_t>(indices[static_cast<size_t>(i)]));
    std::vector<double> shift(spec.channels.size(), 0.0), gain(spec.channels.size(), 1.0);
    double sigma_hu = 0.0;
    if (augment) {
      for (size_t c = 0; c < spec.channels.size(); ++c) {
        shift[c] = uniform(rng, -options.window_level_jitter_hu, options.window_level_jitter_hu);
        gain[c] = uniform(rng, 1.0 - options.window_width_jitter, 1.0 + options.window_width_jitter);
      }
      sigma_hu = uniform(rng, 0.0, options.max_noise_hu);
    }
    for (size_t c = 0; c < spec.channels.size(); ++c) {
      const double width = spec.channels[c].width;
      const auto mean = static_cast<float>(spec.mean.at(c));
      const auto inv_std = static_cast<float>(1.0 / spec.std.at(c));
      const std::uint8_t* src = image + c * plane;
      float* dst = out + (static_cast<size_t>(i) * spec.channels.size() + c) * plane;
      for (int b = 0; b < 256; ++b) {
        const double u = (b / 255.0 - 0.5 - shift[c] / width) / gain[c] + 0.5;
        lut[b] = static_cast<float>(u);
      }
      if (sigma_hu > 0.0) {
        const auto sigma = static_cast<float>(sigma_hu / (width * gain[c]));
        const GaussianTable& normal = GaussianTable::instance();
        const std::size_t start = normal.start(rng);
        for (size_t k = 0; k < plane; ++k)
          dst[k] = (std::clamp(lut[src[k]] + sigma * normal.at(start, k), 0.0f, 1.0f) - mean) * inv_std;
      } else {
        for (int b = 0; b < 256; ++b) lut[b] = (std::clamp(lut[b], 0.0f, 1.0f) - mean) * inv_std;
        for (size_t k = 0; k < plane; ++k) dst[k] = lut[src[k]];
      }
    }
    drawGeometry(rng, options, augment, theta.data() + 6 * i);
  }
  return augment ? applyGeometry(batch, theta, spec) : batch;
}

}  // namespace lunglens::core::training
