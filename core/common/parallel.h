#pragma once
// A small parallel-for over an index range for CPU-bound work in core (decoding, phantom synthesis).
#include <functional>

#include "core/common/cancel.h"

namespace lunglens::core {

// Number of worker threads to use by default: the hardware's cores, at least 1.
int defaultThreadCount();

// Runs body(i) for every i in [begin, end) on up to `threads` threads, handing out indices in the order given.
// The first exception thrown by a body stops the hand-out and is rethrown here after all threads have finished.
// Cancellation is checked before each index; if cancelled, throws Cancelled after the running bodies finish.
void parallelFor(int begin, int end, int threads, const std::function<void(int)>& body,
                 const CancelToken& cancel = CancelToken());

}  // namespace lunglens::core
