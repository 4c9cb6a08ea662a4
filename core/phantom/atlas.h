#pragma once
// Teaching / review tiles: for each finding type (and a normal lung) a phantom showing it, cut around the slice and
// place where that finding is largest, in lung window. The caller lays them out and labels them.
#include <cstdint>
#include <string>
#include <vector>

#include "core/phantom/params.h"

namespace lunglens::core::phantom {

struct AtlasTile {
  std::string title;        // "GGO", "Consolidation", ...
  std::string finding;      // finding name, or "normal"
  int slice_index = 0;
  int cols = 0, rows = 0;
  std::vector<std::uint8_t> grey;  // lung window, rows * cols
};

// One tile per finding type plus a normal lung; tiles are tile_px square cut from 512 x 512 slices.
std::vector<AtlasTile> atlasTiles(int tile_px = 256, int threads = 0);

}  // namespace lunglens::core::phantom
