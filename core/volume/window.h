#pragma once
// Display windows (width/level in HU) and mapping HU to 8-bit grey.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lunglens::core::volume {

struct Window {
  double width = 1500.0;
  double level = -600.0;
  std::string name;  // "lung", "mediastinum", "bone", a file's explanation, or empty for a custom window
};

Window lungWindow();         // W1500 / L-600
Window mediastinumWindow();  // W350 / L40
Window boneWindow();         // W2000 / L500

// Parses "lung", "mediastinum", "bone" or "W,L" (e.g. "400,40"). Returns nullopt for anything else.
std::optional<Window> parseWindow(const std::string& text);

// Linear DICOM windowing to 0..255 (values below level - width/2 are 0, above level + width/2 are 255).
std::uint8_t windowToGrey(double hu, const Window& window);

// Windows a whole slice of HU into 8-bit grey (same size, row-major).
std::vector<std::uint8_t> windowSlice(const std::int16_t* hu, std::size_t count, const Window& window);

}  // namespace lunglens::core::volume
