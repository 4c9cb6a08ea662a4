#pragma once
// A Grad-CAM heatmap, kept at the model's feature-map resolution (small) and upsampled only when drawn or exported.
#include <cstdint>
#include <string>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::inference {

struct Heatmap {
  int height = 0, width = 0;  // feature-map grid (e.g. 7 x 7 for ResNet18 at 224)
  std::vector<float> values;  // height * width, row-major, in [0, 1] (1 = the map's maximum)
  int class_index = -1;       // the class explained (index into the manifest's classes)
  std::string class_name;
  bool empty() const { return values.empty(); }
};

// The heatmap on the native slice grid (rows x cols, row-major): each slice pixel is mapped through the letterbox
// used for the model input (see preprocess.h) onto the feature grid and sampled bilinearly.
std::vector<float> heatmapOnSlice(const Heatmap& map, int rows, int cols, const InputSpec& spec);

// Same, scaled to 0..255 for an 8-bit image.
std::vector<std::uint8_t> heatmapOnSliceGrey(const Heatmap& map, int rows, int cols, const InputSpec& spec);

}  // namespace lunglens::core::inference
