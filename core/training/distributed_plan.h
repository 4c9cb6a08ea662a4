#pragma once
// Which slices each rank of a data-parallel run trains on in an epoch (docs/SCALING.md). Torch-free.
//
// The training subjects are sharded, not the slices: a subject's slices stay on one rank, so a node only ever reads
// whole subjects. Each epoch the subjects are reshuffled with (seed, epoch) and dealt, in that order, to the rank
// holding the fewest slices so far (shards stay balanced when subjects have different slice counts); every subject
// lands on exactly one rank per epoch. Within a rank its slices are shuffled with (seed, epoch, rank).
// Every rank computes the whole plan itself from the same subject list, so no plan is sent over the network, and
// all ranks agree on the number of steps: the longest shard's batch count (a shorter shard contributes empty
// batches at the end, which add nothing to the averaged gradient; see distributed_trainer.h).
#include <cstdint>
#include <string>
#include <vector>

namespace lunglens::core::training {

struct EpochPlan {
  std::vector<std::vector<int>> rank_slices;  // per rank: slice indices in training order
  std::vector<std::vector<std::string>> rank_subjects;  // per rank: its subjects this epoch (sorted)
  int steps = 0;                                // optimizer steps of the epoch (same on every rank)
};

// slice_subjects[i]: the subject of training slice i. Throws InputError for world_size < 1 or batch < 1.
EpochPlan planEpoch(const std::vector<std::string>& slice_subjects, std::uint64_t seed, int epoch, int world_size,
                    int batch_per_rank);

// This rank's share of the validation slices (every world_size-th slice from `rank`): each slice is scored once.
std::vector<int> validationShare(int slices, int rank, int world_size);

}  // namespace lunglens::core::training
