// AsyncJob: work runs off the UI thread, results and progress arrive on it in order, and a cancelled or replaced
// run never applies anything.
#include "ui/common/async_job.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <gtest/gtest.h>
#include <stdexcept>
#include <vector>

#include "tests/ui/qt_app.h"

using namespace lunglens;
using ui::AsyncJob;

namespace {

// Runs the event loop until `done` is true (each wake-up comes from a queued call).
void runUntil(const bool& done) {
  QEventLoop loop;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&]() {
    if (done) loop.quit();
  });
  poll.start(1);
  loop.exec();
}

// Delivers everything already queued for the receiver: a marker queued now arrives after it.
void drainQueued(QObject* receiver) {
  bool marker = false;
  QMetaObject::invokeMethod(receiver, [&]() { marker = true; }, Qt::QueuedConnection);
  runUntil(marker);
}

}  // namespace

TEST(AsyncJob, RunsWorkOffTheUiThreadAndAppliesResultAndProgressOnIt) {
  test::coreApp();
  QObject receiver;
  AsyncJob<int, int> job(&receiver);
  std::atomic<QThread*> workThread{nullptr};
  std::vector<int> progress;
  bool done = false;
  int result = 0;
  QThread* doneThread = nullptr;
  job.start(
      [&](const core::CancelToken&, const std::function<void(int)>& report) {
        workThread = QThread::currentThread();
        for (int i = 1; i <= 5; ++i) report(i);
        return 42;
      },
      {[&](int r) {
         result = r;
         doneThread = QThread::currentThread();
         done = true;
       },
       nullptr, [&](int p) { progress.push_back(p); }});
  EXPECT_TRUE(job.busy());
  runUntil(done);
  EXPECT_EQ(result, 42);
  EXPECT_EQ(progress, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(doneThread, QThread::currentThread());
  EXPECT_NE(workThread.load(), QThread::currentThread());
  EXPECT_FALSE(job.busy());
}

TEST(AsyncJob, ExceptionsBecomeAFailureMessage) {
  test::coreApp();
  QObject receiver;
  AsyncJob<int> job(&receiver);
  std::string message;
  bool failed = false, done = false;
  job.start([](const core::CancelToken&, const std::function<void(int)>&) -> int {
              throw std::runtime_error("bad slice 7");
            },
            {[&](int) { done = true; }, [&](const std::string& m) {
               message = m;
               failed = true;
             }, nullptr});
  runUntil(failed);
  EXPECT_EQ(message, "bad slice 7");
  EXPECT_FALSE(done);
}

TEST(AsyncJob, NonStandardExceptionsAlsoBecomeAFailure) {
  test::coreApp();
  QObject receiver;
  AsyncJob<int> job(&receiver);
  bool failed = false;
  job.start([](const core::CancelToken&, const std::function<void(int)>&) -> int { throw 42; },
            {nullptr, [&](const std::string&) { failed = true; }, nullptr});
  runUntil(failed);
  EXPECT_FALSE(job.busy());
}

TEST(AsyncJob, CancelStopsTheWorkAndDropsWhatItStillSends) {
  test::coreApp();
  QObject receiver;
  AsyncJob<int, int> job(&receiver);
  std::atomic<bool> started{false};
  int applied = 0;
  job.start(
      [&](const core::CancelToken& token, const std::function<void(int)>& report) {
        started = true;
        int n = 0;
        while (!token.cancelled()) report(++n);  // progress that must never be applied after cancel
        return n;  // returns normally: the result must be dropped too
      },
      {[&](int) { ++applied; }, nullptr, [&](int) {}});
  while (!started) QThread::yieldCurrentThread();
  job.cancelAndWait();
  EXPECT_FALSE(job.busy());
  drainQueued(&receiver);
  EXPECT_EQ(applied, 0);
}

TEST(AsyncJob, StartingAgainReplacesTheRunInFlight) {
  test::coreApp();
  QObject receiver;
  AsyncJob<int> job(&receiver);
  std::vector<int> results;
  bool second = false;
  std::atomic<bool> firstRunning{false};
  job.start(
      [&](const core::CancelToken& token, const std::function<void(int)>&) {
        firstRunning = true;
        while (!token.cancelled()) QThread::yieldCurrentThread();
        return 1;
      },
      {[&](int r) { results.push_back(r); }, nullptr, nullptr});
  while (!firstRunning) QThread::yieldCurrentThread();
  job.start([](const core::CancelToken&, const std::function<void(int)>&) { return 2; },
            {[&](int r) {
               results.push_back(r);
               second = true;
             },
             nullptr, nullptr});
  runUntil(second);
  drainQueued(&receiver);
  EXPECT_EQ(results, std::vector<int>{2});
}

TEST(AsyncJob, DestroyingTheJobCancelsAndWaitsForTheWork) {
  test::coreApp();
  QObject receiver;
  std::atomic<bool> started{false}, finished{false};
  {
    AsyncJob<int> job(&receiver);
    job.start(
        [&](const core::CancelToken& token, const std::function<void(int)>&) {
          started = true;
          while (!token.cancelled()) QThread::yieldCurrentThread();
          finished = true;
          return 0;
        },
        {nullptr, nullptr, nullptr});
    while (!started) QThread::yieldCurrentThread();
  }
  EXPECT_TRUE(finished);  // the destructor returned only after the work ended
  drainQueued(&receiver);
}
