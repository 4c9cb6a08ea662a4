#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Training batches from HU slices through the ONE shared preprocessing (core/inference/preprocess.h), with
// augmentation: HU-window jitter and HU noise before windowing, then left-right flips, small rotations and
// scaling on the tensor (the uncovered border filled with air, as the letterbox padding is).
#include <random>
#include <vector>

#include "core/inference/manifest.h"
#include "core/training/classifier_net.h"
#include "core/training/dataset.h"

namespace lunglens::core::training {

struct AugmentOptions {
  bool enabled = true;
  double flip_probability = 0.5;         // left-right
  double max_rotation_deg = 10.0;        // uniform in [-max, max]
  double max_scale_change = 0.10;        // zoom uniform in [1 - s, 1 + s]
  double window_level_jitter_hu = 30.0;  // each channel's level += U(-j, j)
  double window_width_jitter = 0.10;     // each channel's width *= U(1 - j, 1 + j)
  double max_noise_hu = 15.0;            // Gaussian HU noise, sigma uniform in [0, max]
};

// [N, C, H, W] float batch of slices[indices[i]] preprocessed by `spec`; augmented when `augment` (and
// options.enabled), drawing from `rng` (so a seeded rng gives the same batch).
torch::Tensor makeBatch(const std::vector<HuSlice>& slices, const std::vector<int>& indices,
                        const inference::InputSpec& spec, const AugmentOptions& options, bool augment,
                        std::mt19937_64& rng);

// The same from LoadedSlices: HU slices as above, or images from the dataset cache (already windowed and resized to
// `spec`; InputError if their size differs). On cached images the HU-window jitter and the HU noise act on the
// windowed value (a level shift dL and width factor f map u to (u - 0.5 - dL / width) / f + 0.5, noise sigma to
// sigma / (width f)), which equals the HU path except where the window had clamped the pixel.
torch::Tensor makeBatch(const LoadedSlices& data, const std::vector<int>& indices, const inference::InputSpec& spec,
                        const AugmentOptions& options, bool augment, std::mt19937_64& rng);

}  // namespace lunglens::core::training
