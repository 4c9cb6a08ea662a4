#include "core/common/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lunglens::core {

int defaultThreadCount() { return std::max(1u, std::thread::hardware_concurrency()); }

void parallelFor(int begin, int end, int threads, const std::function<void(int)>& body, const CancelToken& cancel) {
  if (end <= begin) return;
  threads = std::clamp(threads, 1, end - begin);
  std::atomic<int> next{begin};
  std::atomic<bool> stop{false};
  std::exception_ptr firstError;
  std::mutex errorMutex;

  auto worker = [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      if (cancel.cancelled()) {
        stop = true;
        break;
      }
      const int i = next.fetch_add(1);
      if (i >= end) break;
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!firstError) firstError = std::current_exception();
        stop = true;
      }
    }
  };

  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();  // the calling thread works too
  for (auto& th : pool) th.join();
  if (firstError) std::rethrow_exception(firstError);
  cancel.throwIfCancelled();
}

}  // namespace lunglens::core
