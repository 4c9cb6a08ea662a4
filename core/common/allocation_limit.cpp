#include "core/common/allocation_limit.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace lunglens::core {
namespace {

thread_local std::size_t tl_limit = 0;  // 0: no limit
std::atomic<bool> g_counting{false};
std::atomic<std::int64_t> g_live{0}, g_peak{0};

void notePeak(std::int64_t want) {
  std::int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (want > peak && !g_peak.compare_exchange_weak(peak, want, std::memory_order_relaxed)) {
  }
}

}  // namespace

AllocationLimit::AllocationLimit(std::size_t max_single_allocation) : previous_(tl_limit) {
  tl_limit = previous_ == 0 ? max_single_allocation : std::min(previous_, max_single_allocation);
}

AllocationLimit::~AllocationLimit() { tl_limit = previous_; }

std::size_t readingLimitFor(std::uintmax_t file_bytes) {
  return static_cast<std::size_t>(3 * file_bytes) + (std::size_t(64) << 20);
}

void startAllocationCounting() { g_counting.store(true); }
std::int64_t liveAllocatedBytes() { return g_live.load(); }
std::int64_t peakAllocatedBytes() { return g_peak.load(); }
void resetPeakAllocatedBytes() { g_peak.store(g_live.load()); }

}  // namespace lunglens::core

namespace {


void* allocate(std::size_t size, std::size_t align) noexcept {
  // Refused before it reaches malloc: a refused request allocates nothing and is not counted.
  if (lunglens::core::tl_limit != 0 && size > lunglens::core::tl_limit) return nullptr;
  const bool counting = lunglens::core::g_counting.load(std::memory_order_relaxed);
  if (counting) lunglens::core::notePeak(lunglens::core::g_live.load(std::memory_order_relaxed) + std::int64_t(size));
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(size == 0 ? 1 : size);
  } else if (posix_memalign(&p, align, size == 0 ? 1 : size) != 0) {
    p = nullptr;
  }
  if (p && counting) lunglens::core::g_live.fetch_add(std::int64_t(malloc_usable_size(p)), std::memory_order_relaxed);
  return p;
}

void release(void* p) noexcept {
  if (!p) return;
  if (lunglens::core::g_counting.load(std::memory_order_relaxed))
    lunglens::core::g_live.fetch_sub(std::int64_t(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = allocate(size, 0)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size, 0); }
void* operator new(std::size_t size, std::align_val_t a) {
  if (void* p = allocate(size, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t a) {
  if (void* p = allocate(size, static_cast<std::size_t>(a))) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(size, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
