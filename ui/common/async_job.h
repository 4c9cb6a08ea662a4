#pragma once
// The one pattern for background work in the UI: a pure function (values in, a value out) runs on its own thread;
// its result, errors and progress reach the UI thread through queued calls on a receiver object, and only while
// the run is still current. Starting again, cancel() or destroying the job makes a run stale: whatever it still
// sends is dropped, never applied. The destructor cancels and waits (like Qt Creator's Async), so a job owned by a
// widget can never outlive it.
#include <QObject>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "core/common/cancel.h"

namespace lunglens::ui {

// The untyped engine behind AsyncJob: one worker thread at a time, a generation counter for staleness.
class AsyncRunner {
 public:
  // Queues `apply` to run on the receiver's thread if the run that posted it is still current.
  using Post = std::function<void(std::function<void()> apply)>;

  // `receiver` (whose thread applies results) must outlive this runner; owning the job as its member does that.
  explicit AsyncRunner(QObject* receiver);
  ~AsyncRunner();
  AsyncRunner(const AsyncRunner&) = delete;
  AsyncRunner& operator=(const AsyncRunner&) = delete;

  // Cancels and joins the previous run, then starts `body` on a new thread. UI thread only.
  void start(std::function<void(const core::CancelToken&, const Post&)> body);
  // Makes the current run stale and asks it to stop; does not wait. UI thread only.
  void cancel();
  // cancel(), then waits for the worker thread to end. UI thread only.
  void cancelAndWait();
  // True from start() until the run's final result has been applied on the UI thread (or it was cancelled).
  bool busy() const { return busy_; }
  void markFinished() { busy_ = false; }

 private:
  struct Shared {
    int generation = 0;  // read and written on the UI thread only
  };
  QObject* receiver_;
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  std::thread thread_;
  core::CancelToken token_;
  bool busy_ = false;
};

// Typed front: `work(token, report)` returns a Result; `report(progress)` may be called from the worker (or from
// threads it starts) any number of times. Handlers run on the receiver's thread.
template <class Result, class Progress = int>
class AsyncJob {
 public:
  using Report = std::function<void(Progress)>;
  using Work = std::function<Result(const core::CancelToken&, const Report&)>;
  struct Handlers {
    std::function<void(Result)> done;
    std::function<void(const std::string& message)> failed;  // exceptions other than core::Cancelled
    std::function<void(Progress)> progress;
  };

  explicit AsyncJob(QObject* receiver) : runner_(receiver) {}

  void start(Work work, Handlers handlers) {
    auto h = std::make_shared<Handlers>(std::move(handlers));
    AsyncRunner* runner = &runner_;
    runner_.start([work = std::move(work), h, runner](const core::CancelToken& token, const AsyncRunner::Post& post) {
      const Report report = [h, post](Progress p) {
        if (h->progress) post([h, p = std::move(p)]() { h->progress(p); });
      };
      try {
        Result result = work(token, report);
        post([h, runner, result = std::move(result)]() mutable {
          runner->markFinished();  // safe: stale posts never run, and a current one means the runner still lives
          if (h->done) h->done(std::move(result));
        });
      } catch (const core::Cancelled&) {
        // Nothing to apply: whoever cancelled has moved on.
      } catch (const std::exception& e) {
        post([h, runner, message = std::string(e.what())]() {
          runner->markFinished();
          if (h->failed) h->failed(message);
        });
      } catch (...) {
        // Never let an exception end the worker thread (std::terminate): report it like any other failure.
        post([h, runner]() {
          runner->markFinished();
          if (h->failed) h->failed("unexpected error in background work");
        });
      }
    });
  }
  void cancel() { runner_.cancel(); }
  void cancelAndWait() { runner_.cancelAndWait(); }
  bool busy() const { return runner_.busy(); }

 private:
  AsyncRunner runner_;
};

}  // namespace lunglens::ui
