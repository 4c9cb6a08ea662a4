#include "core/volume/window.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>

namespace lunglens::core::volume {

Window lungWindow() { return {1500.0, -600.0, "lung"}; }
Window mediastinumWindow() { return {350.0, 40.0, "mediastinum"}; }
Window boneWindow() { return {2000.0, 500.0, "bone"}; }

std::optional<Window> parseWindow(const std::string& text) {
  if (text == "lung") return lungWindow();
  if (text == "mediastinum") return mediastinumWindow();
  if (text == "bone") return boneWindow();
  const auto comma = text.find(',');
  if (comma == std::string::npos) return std::nullopt;
  char* end = nullptr;
  const std::string w = text.substr(0, comma), l = text.substr(comma + 1);
  const double width = std::strtod(w.c_str(), &end);
  if (w.empty() || *end != '\0' || !(width >= 1.0)) return std::nullopt;
  const double level = std::strtod(l.c_str(), &end);
  if (l.empty() || *end != '\0' || !std::isfinite(level)) return std::nullopt;
  return Window{width, level, ""};
}

std::uint8_t windowToGrey(double hu, const Window& window) {
  const double low = window.level - window.width / 2.0;
  const double v = (hu - low) / window.width * 255.0;
  return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

std::vector<std::uint8_t> windowSlice(const std::int16_t* hu, std::size_t count, const Window& window) {
  // A lookup table over the whole int16 range keeps the per-pixel cost to one load.
  static thread_local std::array<std::uint8_t, 65536> lut;
  static thread_local Window cached{-1.0, 0.0, ""};
  if (cached.width != window.width || cached.level != window.level) {
    for (int v = -32768; v <= 32767; ++v) lut[static_cast<std::size_t>(v + 32768)] = windowToGrey(v, window);
    cached = window;
  }
  std::vector<std::uint8_t> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = lut[static_cast<std::size_t>(hu[i] + 32768)];
  return out;
}

}  // namespace lunglens::core::volume
