#pragma once
// Lung-window PNGs of a slice with the lung analysis drawn on it (zone contours, ground glass yellow,
// consolidation red): for looking at the result, as a radiologist would, on the real series.
#include <filesystem>

#include "core/lung/lung_analysis.h"
#include "core/volume/volume.h"

namespace lunglens::test {

void writeLungOverlayPng(const std::filesystem::path& path, const core::volume::Volume& volume,
                         const core::lung::LungAnalysis& analysis, int z);
// When LUNGLENS_LUNG_PNG_DIR is set: writes `name`_zNNN.png for five slices across the lungs there.
void maybeWriteOverlays(const std::string& name, const core::volume::Volume& volume,
                        const core::lung::LungAnalysis& analysis);

}  // namespace lunglens::test

namespace lunglens::test {
// Mask against truth labels (>= 1 = lung): false positives red, misses blue; opacity found but another truth
// (or none) in yellow dots; when LUNGLENS_LUNG_PNG_DIR is set, five slices.
void maybeWriteTruthDiffs(const std::string& name, const core::volume::Volume& volume,
                          const core::lung::LungAnalysis& analysis, const std::vector<std::uint8_t>& truth);
}  // namespace lunglens::test
