#pragma once
// A CT volume in Hounsfield units that can be filled progressively: a loader writes slices in any order and marks
// each one ready; readers (the view, the inference engine) may use a slice as soon as it is ready, from any thread.
// Shared read-only as std::shared_ptr<const Volume> once handed out; only the loader uses the writer side.
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/volume/geometry.h"

namespace lunglens::core::volume {

class Volume {
 public:
  // `slicePositions_mm`: each slice's position along geometry.normal (ascending). Empty = uniform from spacing.
  explicit Volume(Geometry geometry, std::vector<double> slicePositions_mm = {});
  Volume(const Volume&) = delete;
  Volume& operator=(const Volume&) = delete;

  const Geometry& geometry() const { return geometry_; }
  int slices() const { return geometry_.slices; }
  double slicePosition_mm(int z) const { return positions_[static_cast<std::size_t>(z)]; }

  // Readiness (acquire): a slice's voxels may be read once this returns true.
  bool sliceReady(int z) const;
  int readySliceCount() const { return readyCount_.load(std::memory_order_acquire); }
  bool complete() const { return readySliceCount() == geometry_.slices; }

  // HU of one slice, rows * cols, row-major (y then x). Only meaningful once sliceReady(z).
  const std::int16_t* slice(int z) const { return data_.get() + offset(z); }
  std::int16_t at(int x, int y, int z) const { return slice(z)[static_cast<std::size_t>(y) * geometry_.cols + x]; }

  // Writer side (the loader / generator only).
  std::int16_t* mutableSlice(int z) { return data_.get() + offset(z); }
  void markSliceReady(int z);  // release: publishes the slice's voxels
  void markAllReady();

  std::size_t bytes() const { return geometry_.voxelCount() * sizeof(std::int16_t); }

 private:
  std::size_t offset(int z) const { return static_cast<std::size_t>(z) * geometry_.voxelsPerSlice(); }

  Geometry geometry_;
  std::vector<double> positions_;
  std::unique_ptr<std::int16_t[]> data_;
  std::unique_ptr<std::atomic<bool>[]> ready_;
  std::atomic<int> readyCount_{0};
};

using VolumePtr = std::shared_ptr<const Volume>;

}  // namespace lunglens::core::volume
