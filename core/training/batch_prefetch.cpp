#include "core/training/batch_prefetch.h"

#include <algorithm>

namespace lunglens::core::training {

BatchPrefetcher::BatchPrefetcher(const LoadedSlices& data, std::vector<int> order, int batch_size, int max_batches,
                                 const inference::InputSpec& spec, const AugmentOptions& options,
                                 std::mt19937_64& rng, int depth)
    : data_(data),
      order_(std::move(order)),
      batch_size_(std::max(1, batch_size)),
      max_batches_(max_batches),
      spec_(spec),
      options_(options),
      rng_(rng),
      depth_(static_cast<std::size_t>(std::max(1, depth))),
      worker_([this] { run(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void BatchPrefetcher::run() {
  try {
    const int n = static_cast<int>(order_.size());
    int batches = 0;
    for (int start = 0; start < n; start += batch_size_) {
      if (max_batches_ > 0 && batches >= max_batches_) break;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return stop_ || ready_.size() < depth_; });
        if (stop_) return;
      }
      const std::vector<int> idx(order_.begin() + start, order_.begin() + std::min(n, start + batch_size_));
      torch::Tensor x = makeBatch(data_, idx, spec_, options_, true, rng_);
      std::vector<int64_t> labels;
      for (int i : idx) labels.push_back(data_.labels.at(static_cast<std::size_t>(i)));
      torch::Tensor y = torch::tensor(labels, torch::kLong);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.emplace_back(std::move(x), std::move(y));
      }
      changed_.notify_all();
      ++batches;
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  changed_.notify_all();
}

bool BatchPrefetcher::next(torch::Tensor& x, torch::Tensor& y) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    x = std::move(ready_.front().first);
    y = std::move(ready_.front().second);
    ready_.pop_front();
    lock.unlock();
    changed_.notify_all();
    return true;
  }
  if (error_) std::rethrow_exception(error_);
  return false;
}

}  // namespace lunglens::core::training
