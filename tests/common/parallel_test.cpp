#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/common/parallel.h"

using namespace lunglens::core;

TEST(ParallelFor, VisitsEveryIndexOnce) {
  std::vector<std::atomic<int>> hits(1000);
  parallelFor(0, 1000, 4, [&](int i) { hits[static_cast<std::size_t>(i)]++; });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(ParallelFor, RethrowsTheFirstErrorAfterJoining) {
  // One thread: nothing after the failing index runs.
  std::atomic<int> ran{0};
  EXPECT_THROW(parallelFor(0, 100, 1,
                           [&](int i) {
                             ran++;
                             if (i == 10) throw std::runtime_error("bad slice");
                           }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 11);
  // Two threads: the other one stops at its next index. Each item takes 2 ms, so the ~90 left would need ~90 ms on
  // the other thread; trivial items could all finish before the throw is even caught (it was flaky that way).
  ran = 0;
  EXPECT_THROW(parallelFor(0, 100, 2,
                           [&](int i) {
                             ran++;
                             if (i == 10) throw std::runtime_error("bad slice");
                             std::this_thread::sleep_for(std::chrono::milliseconds(2));
                           }),
               std::runtime_error);
  EXPECT_LT(ran.load(), 100);
}

TEST(ParallelFor, StopsWhenCancelled) {
  CancelToken token;
  std::atomic<int> ran{0};
  EXPECT_THROW(parallelFor(0, 10000, 2,
                           [&](int i) {
                             ran++;
                             if (i == 5) token.cancel();
                           },
                           token),
               Cancelled);
  EXPECT_LT(ran.load(), 10000);
}
