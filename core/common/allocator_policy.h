#pragma once
// The process-wide allocator policy (issue 16), applied first thing in main() of lunglens and lunglens-cli.
//
// Why: glibc hands every block of 128 KiB or more (its adaptive mmap threshold starts there) straight back to the
// kernel on free, and trims the top of the heap past 128 KiB. LungLens allocates slices, volumes, images and
// tensors of 0.25–64 MiB over and over; each fresh mapping is then zero-filled page by page, one page fault per
// 4 KiB. On cloud VMs and virtual desktops a fault costs far more than the arithmetic (measured: 10–14x slower
// training, 3x the CPU for a phantom). So we keep freed memory in the process: blocks up to 32 MiB (glibc's
// largest mmap threshold) come from the heap and are reused, and the heap is trimmed only past 512 MiB of free
// top. The price is a process that holds on to its peak heap, which a viewer does anyway.
//
// LUNGLENS_MALLOC=glibc in the environment leaves glibc's defaults (the baseline of bench_process_policy).
#include <string>

namespace lunglens::core {

struct AllocatorPolicy {
  bool applied = false;        // false: glibc's defaults were kept (LUNGLENS_MALLOC=glibc, or mallopt refused)
  std::string description;     // one line for logs and benchmarks
};

AllocatorPolicy applyAllocatorPolicy();

}  // namespace lunglens::core
