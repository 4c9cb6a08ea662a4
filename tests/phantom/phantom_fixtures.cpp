#include "tests/phantom/phantom_fixtures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

namespace lunglens::test {

namespace ph = core::phantom;

ph::PhantomParams quickParams(std::uint64_t seed, ph::Diagnosis dx, std::vector<ph::Finding> findings,
                              double severity) {
  ph::PhantomParams p;
  p.seed = seed;
  p.diagnosis = dx;
  p.manifestations = std::move(findings);
  p.severity = dx == ph::Diagnosis::Normal ? 0.0 : severity;
  p.slices = 48;
  p.size = 256;
  return p;
}

const ph::Phantom& cachedPhantom(const ph::PhantomParams& params) {
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<ph::Phantom>> cache;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = cache[params.canonical() + "|" + std::to_string(params.threads)];
  if (!slot) slot = std::make_unique<ph::Phantom>(ph::generatePhantom(params));
  return *slot;
}

HuStats huStats(const ph::Phantom& p, std::uint8_t label) {
  HuStats s;
  double sum = 0, sum2 = 0;
  std::vector<std::int64_t> histogram(4096, 0);  // HU + 1024
  const std::size_t per = p.layout.geometry.voxelsPerSlice();
  for (int k = 0; k < p.layout.geometry.slices; ++k) {
    const std::int16_t* hu = p.volume->slice(k);
    const std::uint8_t* lab = p.labels.data() + static_cast<std::size_t>(k) * per;
    for (std::size_t i = 0; i < per; ++i)
      if (lab[i] == label) {
        ++s.count;
        sum += hu[i];
        sum2 += static_cast<double>(hu[i]) * hu[i];
        ++histogram[static_cast<std::size_t>(std::clamp(hu[i] + 1024, 0, 4095))];
      }
  }
  if (s.count) {
    s.mean = sum / s.count;
    s.sd = std::sqrt(std::max(0.0, sum2 / s.count - s.mean * s.mean));
    std::int64_t seen = 0;
    for (std::size_t v = 0; v < histogram.size(); ++v)
      if ((seen += histogram[v]) * 2 >= s.count) {
        s.median = static_cast<double>(v) - 1024.0;
        break;
      }
  }
  return s;
}

std::vector<float> lungDepthMap(const ph::Phantom& p) {
  const auto& g = p.layout.geometry;
  const std::size_t per = g.voxelsPerSlice();
  std::vector<float> depth(p.labels.size());
  const float big = 1e9f, a = 1.0f, b = std::sqrt(2.0f);
  for (int k = 0; k < g.slices; ++k) {
    float* d = depth.data() + static_cast<std::size_t>(k) * per;
    const std::uint8_t* lab = p.labels.data() + static_cast<std::size_t>(k) * per;
    for (std::size_t i = 0; i < per; ++i) d[i] = lab[i] == 0 ? 0.0f : big;
    auto at = [&](int x, int y) -> float& { return d[static_cast<std::size_t>(y) * g.cols + x]; };
    for (int y = 0; y < g.rows; ++y)  // forward chamfer pass
      for (int x = 0; x < g.cols; ++x) {
        float& v = at(x, y);
        if (x > 0) v = std::min(v, at(x - 1, y) + a);
        if (y > 0) v = std::min(v, at(x, y - 1) + a);
        if (x > 0 && y > 0) v = std::min(v, at(x - 1, y - 1) + b);
        if (x + 1 < g.cols && y > 0) v = std::min(v, at(x + 1, y - 1) + b);
      }
    for (int y = g.rows - 1; y >= 0; --y)  // backward pass
      for (int x = g.cols - 1; x >= 0; --x) {
        float& v = at(x, y);
        if (x + 1 < g.cols) v = std::min(v, at(x + 1, y) + a);
        if (y + 1 < g.rows) v = std::min(v, at(x, y + 1) + a);
        if (x + 1 < g.cols && y + 1 < g.rows) v = std::min(v, at(x + 1, y + 1) + b);
        if (x > 0 && y + 1 < g.rows) v = std::min(v, at(x - 1, y + 1) + b);
      }
    for (std::size_t i = 0; i < per; ++i) d[i] *= static_cast<float>(g.spacing_mm[0]);
  }
  return depth;
}

}  // namespace lunglens::test
