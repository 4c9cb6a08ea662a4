#include "core/volume/volume.h"

#include "core/common/error.h"

namespace lunglens::core::volume {

Volume::Volume(Geometry geometry, std::vector<double> slicePositions_mm)
    : geometry_(geometry), positions_(std::move(slicePositions_mm)) {
  if (geometry_.cols <= 0 || geometry_.rows <= 0 || geometry_.slices <= 0) {
    throw InputError("volume", "empty geometry " + std::to_string(geometry_.cols) + "x" +
                                   std::to_string(geometry_.rows) + "x" + std::to_string(geometry_.slices));
  }
  if (positions_.empty()) {
    const double base = dot(geometry_.origin_mm, geometry_.normal);
    for (int z = 0; z < geometry_.slices; ++z) positions_.push_back(base + z * geometry_.spacing_mm[2]);
  }
  if (static_cast<int>(positions_.size()) != geometry_.slices) {
    throw InternalError("volume: slice positions do not match the slice count");
  }
  // Not value-initialised: every slice is written by its producer before it is marked ready.
  data_.reset(new std::int16_t[geometry_.voxelCount()]);
  ready_.reset(new std::atomic<bool>[static_cast<std::size_t>(geometry_.slices)]);
  for (int z = 0; z < geometry_.slices; ++z) ready_[static_cast<std::size_t>(z)].store(false);
}

bool Volume::sliceReady(int z) const {
  return z >= 0 && z < geometry_.slices && ready_[static_cast<std::size_t>(z)].load(std::memory_order_acquire);
}

void Volume::markSliceReady(int z) {
  if (!ready_[static_cast<std::size_t>(z)].exchange(true, std::memory_order_acq_rel)) {
    readyCount_.fetch_add(1, std::memory_order_acq_rel);
  }
}

void Volume::markAllReady() {
  for (int z = 0; z < geometry_.slices; ++z) markSliceReady(z);
}

}  // namespace lunglens::core::volume
