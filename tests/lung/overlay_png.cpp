#include "tests/lung/overlay_png.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/io/png.h"

namespace lunglens::test {

namespace {
// LUNGLENS_LUNG_PNG_SLICES=a,b,...: those slices (of `slices`) replace the default choice in `zs`.
void slicesFromEnvironment(int slices, std::vector<int>& zs) {
  const char* list = std::getenv("LUNGLENS_LUNG_PNG_SLICES");
  if (!list || !*list) return;
  zs.clear();
  for (const char* p = list; *p;) {
    char* end = nullptr;
    const long z = std::strtol(p, &end, 10);
    if (end == p) break;
    if (z >= 0 && z < slices) zs.push_back(static_cast<int>(z));
    p = *end ? end + 1 : end;
  }
}
}  // namespace

void writeLungOverlayPng(const std::filesystem::path& path, const core::volume::Volume& volume,
                         const core::lung::LungAnalysis& analysis, int z) {
  const auto& g = volume.geometry();
  const int w = g.cols, h = g.rows;
  const std::int16_t* hu = volume.slice(z);
  const std::uint8_t* zone = analysis.mask.slice(z);
  const std::uint8_t* opa = analysis.mask.opacitySlice(z);
  static const std::array<std::array<int, 3>, 7> colour{{{0, 0, 0},
                                                         {0, 200, 255},
                                                         {0, 255, 120},
                                                         {60, 120, 255},
                                                         {255, 0, 255},
                                                         {255, 150, 0},
                                                         {255, 255, 255}}};
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * w + x;
      const double grey = std::clamp((hu[i] + 1350.0) / 1500.0 * 255.0, 0.0, 255.0);
      double r = grey, gr = grey, b = grey;
      if (opa[i] == 1) r = 0.55 * r + 0.45 * 255, gr = 0.55 * gr + 0.45 * 230, b = 0.55 * b;
      if (opa[i] == 2) r = 0.45 * r + 0.55 * 255, gr = 0.45 * gr, b = 0.45 * b;
      const std::uint8_t v = zone[i];
      const bool edge = v && ((x > 0 && zone[i - 1] != v) || (x + 1 < w && zone[i + 1] != v) ||
                              (y > 0 && zone[i - w] != v) || (y + 1 < h && zone[i + w] != v));
      if (edge) r = colour[v][0], gr = colour[v][1], b = colour[v][2];
      rgb[3 * i] = static_cast<std::uint8_t>(r);
      rgb[3 * i + 1] = static_cast<std::uint8_t>(gr);
      rgb[3 * i + 2] = static_cast<std::uint8_t>(b);
    }
  core::io::writeRgbPng(path, w, h, rgb);
}

void maybeWriteOverlays(const std::string& name, const core::volume::Volume& volume,
                        const core::lung::LungAnalysis& analysis) {
  const char* dir = std::getenv("LUNGLENS_LUNG_PNG_DIR");
  if (!dir || !*dir) return;
  int first = -1, last = -1;
  for (int z = 0; z < volume.slices(); ++z)
    if (analysis.mask.sliceHasLung(z)) {
      if (first < 0) first = z;
      last = z;
    }
  if (first < 0) return;
  std::filesystem::create_directories(dir);
  std::vector<int> zs;
  for (double f : {0.08, 0.3, 0.5, 0.7, 0.92}) zs.push_back(first + static_cast<int>(f * (last - first)));
  slicesFromEnvironment(volume.slices(), zs);
  for (const int z : zs) {
    char file[64];
    std::snprintf(file, sizeof file, "_z%03d.png", z);
    writeLungOverlayPng(std::filesystem::path(dir) / (name + file), volume, analysis, z);
  }
}

}  // namespace lunglens::test

namespace lunglens::test {
void maybeWriteTruthDiffs(const std::string& name, const core::volume::Volume& volume,
                          const core::lung::LungAnalysis& analysis, const std::vector<std::uint8_t>& truth) {
  const char* dir = std::getenv("LUNGLENS_LUNG_PNG_DIR");
  if (!dir || !*dir) return;
  std::filesystem::create_directories(dir);
  const auto& g = volume.geometry();
  std::vector<int> zs;
  for (double f : {0.2, 0.4, 0.5, 0.6, 0.8}) zs.push_back(static_cast<int>(f * (g.slices - 1)));
  slicesFromEnvironment(g.slices, zs);
  for (const int z : zs) {
    const std::int16_t* hu = volume.slice(z);
    const std::uint8_t* m = analysis.mask.slice(z);
    const std::uint8_t* o = analysis.mask.opacitySlice(z);
    const std::uint8_t* t = truth.data() + static_cast<std::size_t>(z) * g.voxelsPerSlice();
    std::vector<std::uint8_t> rgb(g.voxelsPerSlice() * 6);  // two panels side by side
    const int w = g.cols;
    for (int y = 0; y < g.rows; ++y)
      for (int x = 0; x < w; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * w + x;
        const auto grey = static_cast<std::uint8_t>(std::clamp((hu[i] + 1350.0) / 1500.0 * 255.0, 0.0, 255.0));
        std::array<std::uint8_t, 3> a{grey, grey, grey}, b{grey, grey, grey};
        if (m[i] && !t[i]) a = {255, 0, 0};
        if (!m[i] && t[i]) a = {0, 80, 255};
        // Right panel: found opacity (GGO yellow, consolidation red) vs truth (GGO green, consolidation blue).
        const bool tg = t[i] == 2 || t[i] == 3, tc = t[i] == 4 || t[i] == 6;
        if (o[i] == 1 && !tg) b = {255, 255, 0};
        if (o[i] == 2 && !tc) b = {255, 0, 0};
        if (tg && o[i] != 1) b = {0, 255, 0};
        if (tc && o[i] != 2) b = {0, 80, 255};
        if (t[i] >= 5 && t[i] != 6) b[2] = 255;
        const std::size_t row = static_cast<std::size_t>(y) * w * 2;
        for (int c = 0; c < 3; ++c) {
          rgb[3 * (row + x) + c] = a[c];
          rgb[3 * (row + w + x) + c] = b[c];
        }
      }
    char file[64];
    std::snprintf(file, sizeof file, "_z%03d.png", z);
    // Three times larger: phantoms are small.
    const int k = 3, W = 2 * w * k, H = g.rows * k;
    std::vector<std::uint8_t> big(static_cast<std::size_t>(W) * H * 3);
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        for (int c = 0; c < 3; ++c)
          big[(static_cast<std::size_t>(y) * W + x) * 3 + c] =
              rgb[(static_cast<std::size_t>(y / k) * 2 * w + x / k) * 3 + c];
    core::io::writeRgbPng(std::filesystem::path(dir) / (name + file), W, H, big);
  }
}
}  // namespace lunglens::test
