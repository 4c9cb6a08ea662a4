#pragma once
// Deterministic randomness for the phantom generator: a small seeded generator for drawing the anatomy and findings
// (single-threaded, once per subject) and stateless hash noise for per-voxel texture (safe from any thread, so the
// pixels do not depend on how slices are spread over threads).
#include <cmath>
#include <cstdint>
#include <string>

namespace lunglens::core::phantom {

inline std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// FNV-1a over text, then mixed: stable across platforms (std::hash is not).
std::uint64_t hashText(const std::string& text, std::uint64_t seed = 0);

// Integer lattice hash in [0, 1).
inline float hashUnit(std::int32_t x, std::int32_t y, std::int32_t z, std::uint32_t seed) {
  std::uint32_t h = seed * 0x9E3779B1u;
  h ^= static_cast<std::uint32_t>(x) * 0x85EBCA77u;
  h = (h << 13) | (h >> 19);
  h ^= static_cast<std::uint32_t>(y) * 0xC2B2AE3Du;
  h = (h << 11) | (h >> 21);
  h ^= static_cast<std::uint32_t>(z) * 0x27D4EB2Fu;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  h *= 0x297A2D39u;
  h ^= h >> 15;
  return static_cast<float>(h >> 8) * (1.0f / 16777216.0f);
}

// Smooth value noise in [0, 1) on a unit lattice (trilinear with smoothstep weights).
float valueNoise3(float x, float y, float z, std::uint32_t seed);
// Fractal sum of `octaves` value-noise layers, each twice the frequency and half the amplitude; result in [0, 1).
float fbm3(float x, float y, float z, std::uint32_t seed, int octaves);
// Distance (in cell units) from (x, y) to the nearest border between Voronoi cells of a jittered unit grid;
// used for the polygonal lines of crazy paving.
float cellBorderDistance2(float x, float y, std::uint32_t seed);

// Seeded generator for drawing a subject (splitmix64 stream; the draws are defined here, not by <random>, so they
// are the same with every standard library).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(mix64(seed ^ 0x5eed5eed5eedull)) {}
  std::uint64_t next() { return mix64(state_ += 0x9e3779b97f4a7c15ull); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int integer(int lo, int hiInclusive) { return lo + static_cast<int>(uniform() * (hiInclusive - lo + 1)); }
  bool chance(double p) { return uniform() < p; }
  double normal(double mean = 0.0, double sd = 1.0) {
    const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // An independent stream for a named part (so adding draws to one part does not shift another).
  Rng fork(const std::string& part) const { return Rng(state_ ^ hashText(part)); }

 private:
  std::uint64_t state_;
};

}  // namespace lunglens::core::phantom
