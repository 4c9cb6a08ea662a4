#include "core/training/distributed_trainer.h"

#include <random>

#include "core/training/distributed_plan.h"

namespace lunglens::core::training {

namespace F = torch::nn::functional;

namespace {

torch::Tensor labelsOf(const LoadedSlices& data, const std::vector<int>& indices) {
  std::vector<int64_t> labels;
  for (int i : indices) labels.push_back(data.labels.at(static_cast<size_t>(i)));
  return torch::tensor(labels, torch::kLong);
}

}  // namespace

void prepareDistributed(ClassifierNet& net, DistributedTraining& d) {
  if (!d.context) throw InternalError("distributed training without a context");
  net.setBatchNormFrozen(true);
  std::vector<torch::Tensor> state;
  for (const auto& p : net.parameters()) state.push_back(p);
  for (const auto& b : net.buffers()) state.push_back(b);
  d.context->broadcast(state);
}

double trainEpochDistributed(ClassifierNet& net, torch::optim::Optimizer& optimizer, const LoadedSlices& train,
                             const inference::InputSpec& spec, const TrainOptions& o, const torch::Tensor& weights,
                             int epoch) {
  DistributedContext& ctx = *o.distributed->context;
  const auto& subjects = o.distributed->slice_subjects;
  if (subjects.size() != train.size())
    throw InternalError("distributed training: " + std::to_string(subjects.size()) + " subject ids for " +
                        std::to_string(train.size()) + " slices");
  const int rank = ctx.rank();
  const EpochPlan plan = planEpoch(subjects, o.seed, epoch, ctx.worldSize(), o.batch_size);
  const std::vector<int>& mine = plan.rank_slices.at(static_cast<size_t>(rank));
  // Augmentation and dropout: per rank, reproducible from (seed, epoch, rank), so a resumed run repeats them.
  const std::uint64_t epoch_seed = o.seed * 1000003ULL + static_cast<std::uint64_t>(epoch);
  std::mt19937_64 rng(epoch_seed ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(rank + 1)));
  torch::manual_seed(epoch_seed + 7919ULL * static_cast<std::uint64_t>(rank));

  // The trained parameters, last layer first: the order backward produces their gradients.
  std::vector<torch::Tensor> params;
  for (const auto& p : net.parameters())
    if (p.requires_grad()) params.push_back(p);
  std::reverse(params.begin(), params.end());

  int steps = plan.steps;
  if (o.max_batches_per_epoch > 0) steps = std::min(steps, o.max_batches_per_epoch);
  net.train();
  double loss_sum = 0;
  for (int step = 0; step < steps; ++step) {
    o.cancel.throwIfCancelled();
    const auto begin = std::min(mine.size(), static_cast<size_t>(step) * static_cast<size_t>(o.batch_size));
    const auto end = std::min(mine.size(), begin + static_cast<size_t>(o.batch_size));
    const std::vector<int> idx(mine.begin() + static_cast<std::ptrdiff_t>(begin),
                               mine.begin() + static_cast<std::ptrdiff_t>(end));
    optimizer.zero_grad();
    double batch_loss = 0, batch_weight = 0;
    if (!idx.empty()) {  // a shorter shard has run out: it adds nothing but still takes part in the all-reduce
      const torch::Tensor x = makeBatch(train, idx, spec, o.augment, true, rng);
      const torch::Tensor y = labelsOf(train, idx);
      const torch::Tensor loss =
          F::cross_entropy(net.forward(x), y, F::CrossEntropyFuncOptions().weight(weights).reduction(torch::kSum));
      loss.backward();
      batch_loss = loss.item<double>();
      batch_weight = weights.index_select(0, y).sum().item<double>();
    }
    std::vector<torch::Tensor> grads;
    for (auto& p : params) {
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      grads.push_back(p.grad());
    }
    const std::vector<double> totals = ctx.allReduceSum(grads, {batch_loss, batch_weight});
    const double total_weight = totals.at(1);
    if (total_weight <= 0) throw InternalError("distributed training: a global batch without weight");
    {
      torch::NoGradGuard no_grad;
      for (auto& g : grads) g.div_(total_weight);
    }
    optimizer.step();
    loss_sum += totals.at(0) / total_weight;
  }
  return steps > 0 ? loss_sum / steps : 0.0;
}

DistributedEvaluation evaluateDistributed(ClassifierNet& net, const LoadedSlices& data,
                                          const inference::InputSpec& spec, const TrainOptions& o,
                                          const torch::Tensor& weights) {
  DistributedContext& ctx = *o.distributed->context;
  net.eval();
  torch::NoGradGuard no_grad;
  std::mt19937_64 unused(0);
  const std::vector<int> share =
      validationShare(static_cast<int>(data.size()), ctx.rank(), ctx.worldSize());
  double loss_sum = 0, weight_sum = 0, correct = 0;
  for (size_t start = 0; start < share.size(); start += static_cast<size_t>(o.batch_size)) {
    const std::vector<int> idx(share.begin() + static_cast<std::ptrdiff_t>(start),
                               share.begin() + static_cast<std::ptrdiff_t>(
                                                   std::min(share.size(), start + static_cast<size_t>(o.batch_size))));
    const torch::Tensor y = labelsOf(data, idx);
    const torch::Tensor logits = net.forward(makeBatch(data, idx, spec, o.augment, false, unused));
    const torch::Tensor w = weights.index_select(0, y);
    loss_sum += (F::cross_entropy(logits, y, F::CrossEntropyFuncOptions().reduction(torch::kNone)) * w)
                    .sum()
                    .item<double>();
    weight_sum += w.sum().item<double>();
    correct += (logits.argmax(1) == y).sum().item<double>();
  }
  const std::vector<double> sums =
      ctx.allReduceSum({}, {loss_sum, weight_sum, correct, static_cast<double>(share.size())});
  return {sums[1] > 0 ? sums[0] / sums[1] : 0.0, sums[3] > 0 ? sums[2] / sums[3] : 0.0};
}

}  // namespace lunglens::core::training
