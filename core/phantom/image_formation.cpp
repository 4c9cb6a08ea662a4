#include "core/phantom/image_formation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/phantom/random.h"

namespace lunglens::core::phantom {

namespace {

// Separable symmetric filter with clamped edges; taps[0] is the centre weight.
void filter(const std::vector<float>& taps, int cols, int rows, std::vector<float>& img, std::vector<float>& tmp) {
  const int r = static_cast<int>(taps.size()) - 1;
  tmp.resize(img.size());
  for (int j = 0; j < rows; ++j) {
    const float* in = &img[static_cast<std::size_t>(j) * cols];
    float* o = &tmp[static_cast<std::size_t>(j) * cols];
    for (int i = 0; i < cols; ++i) {
      float acc = taps[0] * in[i];
      for (int k = 1; k <= r; ++k) acc += taps[static_cast<std::size_t>(k)] * (in[std::max(i - k, 0)] + in[std::min(i + k, cols - 1)]);
      o[i] = acc;
    }
  }
  for (int j = 0; j < rows; ++j) {
    float* o = &img[static_cast<std::size_t>(j) * cols];
    for (int k = 0; k <= r; ++k) {
      const float w = taps[static_cast<std::size_t>(k)];
      const float* up = &tmp[static_cast<std::size_t>(std::max(j - k, 0)) * cols];
      const float* dn = &tmp[static_cast<std::size_t>(std::min(j + k, rows - 1)) * cols];
      if (k == 0) {
        for (int i = 0; i < cols; ++i) o[i] = w * up[i];
      } else {
        for (int i = 0; i < cols; ++i) o[i] += w * (up[i] + dn[i]);
      }
    }
  }
}

// Standard deviation left after filtering unit white noise with the separable taps.
double noiseGain(const std::vector<float>& taps) {
  double s = taps[0] * taps[0];
  for (std::size_t k = 1; k < taps.size(); ++k) s += 2.0 * taps[k] * taps[k];
  return s;  // per axis variance factor; 2D factor is its square, std its square root -> s
}

}  // namespace

void formImage(const float* clean, int cols, int rows, Kernel kernel, double sigma_hu, std::uint32_t seed,
               std::int16_t* out) {
  const std::size_t n = static_cast<std::size_t>(cols) * rows;
  std::vector<float> img(clean, clean + n), blurred, tmp;
  const std::vector<float> smooth3{0.5f, 0.25f};
  if (kernel == Kernel::Soft) {
    filter(smooth3, cols, rows, img, tmp);
  } else {
    blurred = img;
    filter(smooth3, cols, rows, blurred, tmp);
    for (std::size_t i = 0; i < n; ++i) img[i] += 0.8f * (img[i] - blurred[i]);
  }
  // Correlated noise: white Gaussian noise (sum of four uniforms) through a low-pass, rescaled to sigma.
  const std::vector<float> taps = kernel == Kernel::Soft ? std::vector<float>{6.f / 16, 4.f / 16, 1.f / 16}
                                                         : std::vector<float>{0.5f, 0.25f};
  std::vector<float> noise(n);
  for (int j = 0; j < rows; ++j)
    for (int i = 0; i < cols; ++i) {
      const float u = hashUnit(i, j, 0, seed) + hashUnit(i, j, 1, seed) + hashUnit(i, j, 2, seed) +
                      hashUnit(i, j, 3, seed);
      noise[static_cast<std::size_t>(j) * cols + i] = (u - 2.0f) * 1.7320508f;  // unit variance
    }
  filter(taps, cols, rows, noise, tmp);
  const double sigma = kernel == Kernel::Soft ? sigma_hu : 1.5 * sigma_hu;  // sharp kernels are noisier
  const float gain = static_cast<float>(sigma / noiseGain(taps));
  for (std::size_t i = 0; i < n; ++i) {
    const float v = std::nearbyint(img[i] + gain * noise[i]);
    out[i] = static_cast<std::int16_t>(std::clamp(v, -1024.0f, 3071.0f));
  }
}

}  // namespace lunglens::core::phantom
