#pragma once
// A reading limit in memory for code we do not control (GDCM allocates each DICOM element at the length its
// header declares, before reading it). While an AllocationLimit is alive on a thread, any single C++ allocation
// on that thread larger than the limit fails with std::bad_alloc, which the readers turn into "damaged file".
// core/dicom/length_check.h refuses impossible lengths before GDCM sees them; this limit catches what a damaged
// file can still make GDCM's parser believe after that.
//
// The replaced global operator new lives in allocation_limit.cpp: one thread_local load and a compare on every
// allocation. It also counts live bytes for the fuzz tests, but only after startAllocationCounting().
#include <cstddef>
#include <cstdint>

namespace lunglens::core {

class AllocationLimit {
 public:
  explicit AllocationLimit(std::size_t max_single_allocation);  // nested limits keep the smaller
  ~AllocationLimit();
  AllocationLimit(const AllocationLimit&) = delete;
  AllocationLimit& operator=(const AllocationLimit&) = delete;

 private:
  std::size_t previous_;
};

// The limit for reading a file of `file_bytes`: 64 MiB beyond 3 x its size (so that the file's own content plus
// one allocation stays within the bound of 64 MiB beyond 4 x the size).
std::size_t readingLimitFor(std::uintmax_t file_bytes);

// For tests: counts live C++ heap bytes from now on (process-wide); the peak includes requests that failed.
void startAllocationCounting();
std::int64_t liveAllocatedBytes();
std::int64_t peakAllocatedBytes();
void resetPeakAllocatedBytes();

}  // namespace lunglens::core
