#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// The data-parallel side of trainClassifier (trainer.h): when TrainOptions::distributed is set, the trainer calls
// these instead of its single-process epoch and validation.
//
// Exactness: every rank sums its batch's class-weighted losses (reduction "sum") and backpropagates that; the
// gradients and the batches' weight sums are all-reduced (summed) and the gradient divided by the global weight
// sum. That is exactly the gradient of the class-weighted mean loss over the union of the ranks' batches, so N
// ranks with batch b step like one process with batch N*b (docs/SCALING.md), also when shards differ in size.
// BatchNorm is FROZEN (eval-mode running statistics, affine parameters still trained) in every distributed run,
// world size 1 included: batch statistics would differ per rank and make the result depend on the partition.
// Dropout and augmentation draw from per-rank seeds, so with them on, N ranks match one process in distribution,
// not bit for bit.
#include <string>
#include <vector>

#include "core/training/classifier_net.h"
#include "core/training/distributed_context.h"
#include "core/training/trainer.h"

namespace lunglens::core::training {

struct DistributedTraining {
  DistributedContext* context = nullptr;     // required
  std::vector<std::string> slice_subjects;   // the subject of each training slice, in LoadedSlices order
};

// Before the first epoch (and after a resume loaded its weights): BatchNorm frozen; rank 0's parameters and
// buffers into every rank, so all start from identical weights.
void prepareDistributed(ClassifierNet& net, DistributedTraining& d);

// One epoch of synchronous data-parallel steps over this rank's shard (distributed_plan.h); returns the mean
// training loss over the global batches (the same on every rank).
double trainEpochDistributed(ClassifierNet& net, torch::optim::Optimizer& optimizer, const LoadedSlices& train,
                             const inference::InputSpec& spec, const TrainOptions& o, const torch::Tensor& weights,
                             int epoch);

// The validation loss (class-weighted mean) and accuracy over the whole validation set: each rank scores its share
// and the sums are all-reduced, so every rank gets the same numbers (and makes the same early-stop decision).
struct DistributedEvaluation {
  double loss = 0, accuracy = 0;
};
DistributedEvaluation evaluateDistributed(ClassifierNet& net, const LoadedSlices& validation,
                                          const inference::InputSpec& spec, const TrainOptions& o,
                                          const torch::Tensor& weights);

}  // namespace lunglens::core::training
