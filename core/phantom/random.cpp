#include "core/phantom/random.h"

#include <algorithm>

namespace lunglens::core::phantom {

std::uint64_t hashText(const std::string& text, std::uint64_t seed) {
  std::uint64_t h = 1469598103934665603ull ^ mix64(seed);
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return mix64(h);
}

namespace {
inline float smooth(float t) { return t * t * (3.0f - 2.0f * t); }
inline float lerp(float a, float b, float t) { return a + (b - a) * t; }
}  // namespace

float valueNoise3(float x, float y, float z, std::uint32_t seed) {
  const float fx = std::floor(x), fy = std::floor(y), fz = std::floor(z);
  const auto ix = static_cast<std::int32_t>(fx), iy = static_cast<std::int32_t>(fy), iz = static_cast<std::int32_t>(fz);
  const float tx = smooth(x - fx), ty = smooth(y - fy), tz = smooth(z - fz);
  const float c000 = hashUnit(ix, iy, iz, seed), c100 = hashUnit(ix + 1, iy, iz, seed);
  const float c010 = hashUnit(ix, iy + 1, iz, seed), c110 = hashUnit(ix + 1, iy + 1, iz, seed);
  const float c001 = hashUnit(ix, iy, iz + 1, seed), c101 = hashUnit(ix + 1, iy, iz + 1, seed);
  const float c011 = hashUnit(ix, iy + 1, iz + 1, seed), c111 = hashUnit(ix + 1, iy + 1, iz + 1, seed);
  const float a = lerp(lerp(c000, c100, tx), lerp(c010, c110, tx), ty);
  const float b = lerp(lerp(c001, c101, tx), lerp(c011, c111, tx), ty);
  return lerp(a, b, tz);
}

float fbm3(float x, float y, float z, std::uint32_t seed, int octaves) {
  float sum = 0.0f, amp = 1.0f, norm = 0.0f;
  for (int o = 0; o < octaves; ++o) {
    sum += amp * valueNoise3(x, y, z, seed + 7919u * static_cast<std::uint32_t>(o));
    norm += amp;
    amp *= 0.5f;
    x *= 2.03f;
    y *= 2.03f;
    z *= 2.03f;
  }
  return sum / norm;
}

float cellBorderDistance2(float x, float y, std::uint32_t seed) {
  const float fx = std::floor(x), fy = std::floor(y);
  const auto ix = static_cast<std::int32_t>(fx), iy = static_cast<std::int32_t>(fy);
  float d1 = 1e9f, d2 = 1e9f;
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      const float px = static_cast<float>(ix + dx) + 0.15f + 0.7f * hashUnit(ix + dx, iy + dy, 0, seed);
      const float py = static_cast<float>(iy + dy) + 0.15f + 0.7f * hashUnit(ix + dx, iy + dy, 1, seed);
      const float d = std::sqrt((px - x) * (px - x) + (py - y) * (py - y));
      if (d < d1) {
        d2 = d1;
        d1 = d;
      } else if (d < d2) {
        d2 = d;
      }
    }
  }
  return 0.5f * (d2 - d1);  // half the gap between the two nearest sites: ~ distance to the bisector
}

}  // namespace lunglens::core::phantom
