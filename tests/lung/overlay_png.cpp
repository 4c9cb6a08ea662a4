#include "tests/lung/overlay_png.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "core/io/png.h"

namespace lunglens::test {

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
  for (double f : {0.08, 0.3, 0.5, 0.7, 0.92}) {
    const int z = first + static_cast<int>(f * (last - first));
    char file[64];
    std::snprintf(file, sizeof file, "_z%03d.png", z);
    writeLungOverlayPng(std::filesystem::path(dir) / (name + file), volume, analysis, z);
  }
}

}  // namespace lunglens::test
