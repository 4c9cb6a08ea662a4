#pragma once
// Loading a series into a Volume in Hounsfield units, decoding slices in parallel, nearest-to-focus first, and
// publishing each slice as soon as it is decoded (the viewer shows the first one before the rest arrive).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/volume/volume.h"

namespace lunglens::core::dicom {

struct LoadOptions {
  int threads = 0;          // 0 = all cores
  int focus_slice = -1;     // decode this slice first, then outward from it; -1 = the middle slice
  CancelToken cancel;
  // Called from a worker thread after slice z is marked ready in the volume. May be empty.
  std::function<void(int z)> on_slice_ready;
};

// Allocates the volume from the series' geometry and returns it at once, empty; `fill` then decodes every slice
// into it. Split in two so a caller can hand the volume to the view before decoding starts.
std::shared_ptr<volume::Volume> allocateVolume(const SeriesInfo& series);
// Throws InputError naming the file for a slice that cannot be decoded, Cancelled if cancelled.
void fillVolume(const SeriesInfo& series, volume::Volume& target, const LoadOptions& options = {});

// Both at once, for headless callers.
std::shared_ptr<const volume::Volume> loadSeries(const SeriesInfo& series, const LoadOptions& options = {});

// Decodes only slice z (rows * cols HU, row-major), e.g. for a thumbnail or `lunglens-cli render`.
// Throws InputError if z is out of range or the slice cannot be decoded.
std::vector<std::int16_t> loadSlice(const SeriesInfo& series, int z);

// The order fillVolume decodes in: `focus` (the middle slice if out of range), then outward from it.
std::vector<int> focusFirstOrder(int slices, int focus);

}  // namespace lunglens::core::dicom
