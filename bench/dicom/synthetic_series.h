#pragma once
// Builds a long series from a real one: its slices repeated and shifted to new positions, with new UIDs.
#include <filesystem>

namespace lunglens::bench {

// Writes `slices` files into `target` (created), taken cyclically from the series in `source` (sorted by z) and
// stacked at that series' spacing; file names are shuffled so nothing can rely on name order.
// Returns the volume's bytes as int16 (rows * cols * slices * 2).
std::size_t writeLongSeries(const std::filesystem::path& source, const std::filesystem::path& target, int slices);

}  // namespace lunglens::bench
