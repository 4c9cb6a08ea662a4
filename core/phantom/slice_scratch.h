#pragma once
// Working buffers of the slice renderer (private to slice_renderer.cpp and slice_composite.cpp).
#include <cstdint>
#include <vector>

#include "core/phantom/slice_renderer.h"

namespace lunglens::core::phantom {

inline float lerpf(float a, float b, float t) { return a + (b - a) * t; }

// A scalar field sampled every `step` pixels and read back bilinearly (smooth fields at a fraction of the cost).
struct CoarseField {
  int step = 4, gw = 0, gh = 0;
  std::vector<float> v;
  template <class F>
  void fill(const PlaneGrid& g, int s, F&& f) {
    step = s;
    gw = g.cols / s + 2;
    gh = g.rows / s + 2;
    v.resize(static_cast<std::size_t>(gw) * gh);
    for (int j = 0; j < gh; ++j)
      for (int i = 0; i < gw; ++i) v[static_cast<std::size_t>(j) * gw + i] = f(g.x0 + i * s * g.px, g.y0 + j * s * g.px);
  }
  float at(int i, int j) const {
    const int gi = i / step, gj = j / step;
    const float fx = static_cast<float>(i - gi * step) / step, fy = static_cast<float>(j - gj * step) / step;
    const float* r0 = &v[static_cast<std::size_t>(gj) * gw + gi];
    const float* r1 = r0 + gw;
    return lerpf(lerpf(r0[0], r0[1], fx), lerpf(r1[0], r1[1], fx), fy);
  }
};

struct SliceRenderer::Scratch {
  std::size_t n = 0;
  std::vector<std::uint8_t> med, label;
  std::vector<float> blood, lumen, wall, cortex, marrow, ggo, crazy, dense, dense_hu, cav_air, bronchogram;
  CoarseField lesion_noise, texture;
  bool any_lesion = false;
  // Per plane: the anatomy buffers.
  void reset(std::size_t count) {
    n = count;
    med.assign(n, 0);
    for (auto* b : {&blood, &lumen, &wall, &cortex, &marrow}) b->assign(n, 0.0f);
  }
  // Per slice: the finding buffers (findings are evaluated once, on the slice's centre plane), allocated on first use.
  void resetLesions() {
    if (any_lesion) return;
    any_lesion = true;
    for (auto* b : {&ggo, &crazy, &dense, &dense_hu, &cav_air, &bronchogram}) b->assign(n, 0.0f);
  }
};

}  // namespace lunglens::core::phantom
