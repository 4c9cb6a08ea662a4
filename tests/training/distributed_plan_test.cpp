// The data-parallel epoch plan: every training subject on exactly one rank per epoch, a subject's slices together,
// shards balanced, reshuffled per epoch with the seed, and the same plan computed by every rank.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/common/error.h"
#include "core/training/distributed_plan.h"

namespace lunglens::core::training {
namespace {

// 7 subjects with 3..9 slices each, their slices interleaved as a loaded dataset might list them.
std::vector<std::string> sliceSubjects() {
  std::vector<std::string> out;
  for (int round = 0; round < 9; ++round)
    for (int s = 0; s < 7; ++s)
      if (round < 3 + s) out.push_back("S" + std::to_string(s));
  return out;
}

TEST(DistributedPlan, EverySubjectOnExactlyOneRankPerEpochWithAllItsSlices) {
  const auto subjects = sliceSubjects();
  for (int world : {1, 2, 3}) {
    for (int epoch = 1; epoch <= 3; ++epoch) {
      const EpochPlan plan = planEpoch(subjects, 42, epoch, world, 4);
      ASSERT_EQ(plan.rank_slices.size(), static_cast<size_t>(world));
      std::multiset<int> seen;
      std::map<std::string, int> rank_of;
      size_t longest = 0;
      for (int r = 0; r < world; ++r) {
        for (int i : plan.rank_slices[static_cast<size_t>(r)]) {
          seen.insert(i);
          const auto [it, inserted] = rank_of.emplace(subjects[static_cast<size_t>(i)], r);
          EXPECT_EQ(it->second, r) << "subject " << it->first << " split over two ranks";
        }
        longest = std::max(longest, plan.rank_slices[static_cast<size_t>(r)].size());
        for (const auto& s : plan.rank_subjects[static_cast<size_t>(r)]) EXPECT_EQ(rank_of.at(s), r);
      }
      ASSERT_EQ(seen.size(), subjects.size());  // each slice exactly once
      for (int i = 0; i < static_cast<int>(subjects.size()); ++i) EXPECT_EQ(seen.count(i), 1u);
      EXPECT_EQ(rank_of.size(), 7u);
      EXPECT_EQ(plan.steps, static_cast<int>((longest + 3) / 4));
    }
  }
}

TEST(DistributedPlan, ShardsAreBalancedAndReshuffledPerEpoch) {
  const auto subjects = sliceSubjects();  // 63 slices; the largest subject has 9
  std::set<std::vector<std::string>> rank0_subjects;
  for (int epoch = 1; epoch <= 6; ++epoch) {
    const EpochPlan plan = planEpoch(subjects, 7, epoch, 2, 8);
    const auto a = plan.rank_slices[0].size(), b = plan.rank_slices[1].size();
    EXPECT_LE(std::max(a, b) - std::min(a, b), 9u) << "epoch " << epoch;
    rank0_subjects.insert(plan.rank_subjects[0]);
  }
  EXPECT_GT(rank0_subjects.size(), 1u);  // the shards change between epochs
  // The same (seed, epoch) gives the same plan on every rank; another seed another one.
  EXPECT_EQ(planEpoch(subjects, 7, 3, 2, 8).rank_slices, planEpoch(subjects, 7, 3, 2, 8).rank_slices);
  EXPECT_NE(planEpoch(subjects, 7, 3, 2, 8).rank_slices, planEpoch(subjects, 8, 3, 2, 8).rank_slices);
  EXPECT_THROW(planEpoch(subjects, 7, 1, 0, 8), InputError);
}

TEST(DistributedPlan, ValidationSharesCoverEverySliceOnce) {
  std::multiset<int> seen;
  for (int r = 0; r < 3; ++r)
    for (int i : validationShare(10, r, 3)) seen.insert(i);
  ASSERT_EQ(seen.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(seen.count(i), 1u);
}

}  // namespace
}  // namespace lunglens::core::training
