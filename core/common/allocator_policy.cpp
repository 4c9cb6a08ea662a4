#include "core/common/allocator_policy.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace lunglens::core {

AllocatorPolicy applyAllocatorPolicy() {
  AllocatorPolicy p;
  const char* env = std::getenv("LUNGLENS_MALLOC");
  if (env && std::strcmp(env, "glibc") == 0) {
    p.description = "glibc defaults (LUNGLENS_MALLOC=glibc)";
    return p;
  }
  constexpr int kMmapThreshold = 32 << 20;  // glibc's maximum on 64-bit; larger values are refused
  constexpr int kTrimThreshold = 512 << 20;
  constexpr int kTopPad = 16 << 20;         // grow the heap in 16 MiB steps, not page by page
  // Setting either threshold also turns off glibc's adaptive threshold, which would undo this after a few frees.
  p.applied = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1 &&
              mallopt(M_TOP_PAD, kTopPad) == 1;
  p.description = p.applied ? "glibc, mmap threshold 32 MiB, trim threshold 512 MiB, top pad 16 MiB"
                            : "glibc defaults (mallopt refused the policy)";
  return p;
}

}  // namespace lunglens::core
