#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// One epoch's training batches made on a worker thread, ahead of the training step, so reading, windowing and
// augmenting the next batch overlaps the forward/backward pass of this one. The batches are exactly those an inline
// loop would make: the worker alone draws from `rng`, in batch order.
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/training/augment.h"

namespace lunglens::core::training {

class BatchPrefetcher {
 public:
  // Batches of `order` (batch_size each, the last one shorter; at most max_batches, 0 = all), `depth` made ahead.
  BatchPrefetcher(const LoadedSlices& data, std::vector<int> order, int batch_size, int max_batches,
                  const inference::InputSpec& spec, const AugmentOptions& options, std::mt19937_64& rng,
                  int depth = 2);
  ~BatchPrefetcher();  // stops the worker and waits for it
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // The next batch (images, labels); false once the epoch is done. Rethrows what the worker threw.
  bool next(torch::Tensor& x, torch::Tensor& y);

 private:
  void run();

  const LoadedSlices& data_;
  const std::vector<int> order_;
  const int batch_size_, max_batches_;
  const inference::InputSpec spec_;
  const AugmentOptions options_;
  std::mt19937_64& rng_;
  const std::size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<torch::Tensor, torch::Tensor>> ready_;
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace lunglens::core::training
