#include "ui/common/async_job.h"

#include <QMetaObject>

namespace lunglens::ui {

AsyncRunner::AsyncRunner(QObject* receiver) : receiver_(receiver) {}

AsyncRunner::~AsyncRunner() { cancelAndWait(); }

void AsyncRunner::start(std::function<void(const core::CancelToken&, const Post&)> body) {
  cancelAndWait();
  token_ = core::CancelToken();
  busy_ = true;
  const int generation = ++shared_->generation;
  // The receiver outlives the worker (the destructor joins), so posting to it is safe; Qt drops queued calls
  // still pending when it is deleted, and the generation check drops those of stale runs.
  Post post = [receiver = receiver_, shared = shared_, generation](std::function<void()> apply) {
    QMetaObject::invokeMethod(
        receiver,
        [shared, generation, apply = std::move(apply)]() {
          if (shared->generation == generation) apply();
        },
        Qt::QueuedConnection);
  };
  thread_ = std::thread([body = std::move(body), token = token_, post = std::move(post)]() { body(token, post); });
}

void AsyncRunner::cancel() {
  ++shared_->generation;
  token_.cancel();
  busy_ = false;
}

void AsyncRunner::cancelAndWait() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

}  // namespace lunglens::ui
