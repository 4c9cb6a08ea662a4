// The engine's queue: nearest to the focus first, re-ordered when the focus moves, batches of one kind, slices
// that are not loaded yet skipped, duplicates merged, urgent requests first.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/inference/result_store.h"
#include "core/inference/work_queue.h"

using namespace lunglens::core::inference;

namespace {
const auto kAllReady = [](int) { return true; };

std::vector<int> slices(const std::vector<Job>& jobs) {
  std::vector<int> out;
  for (const auto& j : jobs) out.push_back(j.slice);
  return out;
}
}  // namespace

TEST(WorkQueue, OrdersByDistanceFromFocus) {
  WorkQueue q;
  for (int z = 0; z < 10; ++z) q.push({JobKind::Diagnosis, z});
  q.setFocus(6);
  EXPECT_EQ(slices(q.ordered()), (std::vector<int>{6, 5, 7, 4, 8, 3, 9, 2, 1, 0}));
  EXPECT_EQ(slices(q.popBatch(3, kAllReady)), (std::vector<int>{6, 5, 7}));
  q.setFocus(1);  // the focus moves: the rest re-orders around it
  EXPECT_EQ(slices(q.popBatch(4, kAllReady)), (std::vector<int>{1, 0, 2, 3}));
  EXPECT_EQ(slices(q.popBatch(10, kAllReady)), (std::vector<int>{4, 8, 9}));
  EXPECT_TRUE(q.empty());
}

TEST(WorkQueue, BatchesHoldOneKindAndHeatmapsGoAlone) {
  WorkQueue q;
  q.setFocus(5);
  for (int z = 3; z <= 7; ++z) q.push({JobKind::Diagnosis, z});
  q.push({JobKind::DiagnosisHeatmap, 5});
  q.push({JobKind::Manifestation, 6});
  auto b = q.popBatch(8, kAllReady);
  EXPECT_EQ(slices(b), (std::vector<int>{5, 4, 6, 3, 7}));
  for (const auto& j : b) EXPECT_EQ(j.kind, JobKind::Diagnosis);
  b = q.popBatch(8, kAllReady);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].kind, JobKind::DiagnosisHeatmap);
  b = q.popBatch(8, kAllReady);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].kind, JobKind::Manifestation);
}

TEST(WorkQueue, SkipsSlicesNotReadyYet) {
  WorkQueue q;
  q.setFocus(0);
  for (int z = 0; z < 6; ++z) q.push({JobKind::Diagnosis, z});
  const auto even = [](int z) { return z % 2 == 0; };
  EXPECT_EQ(slices(q.popBatch(10, even)), (std::vector<int>{0, 2, 4}));
  EXPECT_TRUE(q.popBatch(10, even).empty());
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(slices(q.popBatch(10, kAllReady)), (std::vector<int>{1, 3, 5}));
}

TEST(WorkQueue, UrgentFirstAndDuplicatesMerged) {
  WorkQueue q;
  q.setFocus(0);
  for (int z = 0; z < 5; ++z) q.push({JobKind::Diagnosis, z});
  q.push({JobKind::Diagnosis, 2});
  EXPECT_EQ(q.size(), 5u);
  q.push({JobKind::Manifestation, 4, -1, true});
  q.push({JobKind::Diagnosis, 3, -1, true});  // merges into the queued one, now urgent
  EXPECT_EQ(q.size(), 6u);
  const auto order = q.ordered();
  EXPECT_EQ(order[0].slice, 3);
  EXPECT_EQ(order[1].kind, JobKind::Manifestation);
  EXPECT_EQ(order[2].slice, 0);
}

TEST(ResultStore, DropsResultsForSeriesNotOpen) {
  ResultStore store;
  store.open("A", 3);
  EXPECT_TRUE(store.update("A", 1, [](SliceResult& r) { r.diagnosis = {0.1f, 0.2f, 0.7f}; }).has_value());
  EXPECT_FALSE(store.update("B", 1, [](SliceResult& r) { r.diagnosis = {1, 0, 0}; }).has_value());
  EXPECT_FALSE(store.update("A", 3, [](SliceResult& r) { r.diagnosis = {1, 0, 0}; }).has_value());
  EXPECT_EQ(store.diagnosedCount("A"), 1);
  store.close("A");
  EXPECT_FALSE(store.update("A", 2, [](SliceResult& r) { r.diagnosis = {1, 0, 0}; }).has_value());
  EXPECT_FALSE(store.get("A", 1).has_value());
  EXPECT_TRUE(store.all("A").empty());
}
