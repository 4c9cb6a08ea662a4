#include "core/training/distributed_plan.h"

#include <algorithm>
#include <map>
#include <random>

#include "core/common/error.h"

namespace lunglens::core::training {

EpochPlan planEpoch(const std::vector<std::string>& slice_subjects, std::uint64_t seed, int epoch, int world_size,
                    int batch_per_rank) {
  if (world_size < 1 || batch_per_rank < 1)
    throw InputError("distributed training", "world size and batch must be at least 1");
  // Subjects in a fixed (sorted) order first, so the plan depends on the data and the seed only.
  std::map<std::string, std::vector<int>> by_subject;
  for (int i = 0; i < static_cast<int>(slice_subjects.size()); ++i)
    by_subject[slice_subjects[static_cast<size_t>(i)]].push_back(i);
  std::vector<const std::pair<const std::string, std::vector<int>>*> subjects;
  for (const auto& entry : by_subject) subjects.push_back(&entry);
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch) + 0x5eedULL);
  std::shuffle(subjects.begin(), subjects.end(), rng);

  EpochPlan plan;
  const auto w = static_cast<size_t>(world_size);
  plan.rank_slices.resize(w);
  plan.rank_subjects.resize(w);
  for (const auto* subject : subjects) {
    // The least-loaded rank (the lowest rank on a tie): deterministic and balanced.
    size_t target = 0;
    for (size_t r = 1; r < w; ++r)
      if (plan.rank_slices[r].size() < plan.rank_slices[target].size()) target = r;
    plan.rank_subjects[target].push_back(subject->first);
    plan.rank_slices[target].insert(plan.rank_slices[target].end(), subject->second.begin(), subject->second.end());
  }
  size_t longest = 0;
  for (size_t r = 0; r < w; ++r) {
    std::sort(plan.rank_subjects[r].begin(), plan.rank_subjects[r].end());
    std::mt19937_64 rank_rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch) * 7919ULL + r);
    std::shuffle(plan.rank_slices[r].begin(), plan.rank_slices[r].end(), rank_rng);
    longest = std::max(longest, plan.rank_slices[r].size());
  }
  plan.steps = static_cast<int>((longest + static_cast<size_t>(batch_per_rank) - 1) / static_cast<size_t>(batch_per_rank));
  return plan;
}

std::vector<int> validationShare(int slices, int rank, int world_size) {
  std::vector<int> out;
  for (int i = rank; i < slices; i += std::max(1, world_size)) out.push_back(i);
  return out;
}

}  // namespace lunglens::core::training
