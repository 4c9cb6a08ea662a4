#pragma once
// A cancellation flag shared between whoever starts background work and the work itself.
#include <atomic>
#include <memory>

#include "core/common/error.h"

namespace lunglens::core {

class CancelToken {
 public:
  CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void cancel() const { flag_->store(true, std::memory_order_relaxed); }
  bool cancelled() const { return flag_->load(std::memory_order_relaxed); }
  // Called between units of work: unwinds the job with Cancelled.
  void throwIfCancelled() const {
    if (cancelled()) throw Cancelled();
  }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace lunglens::core
