#include "core/training/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/training/distributed_trainer.h"
#include "core/training/batch_prefetch.h"

namespace lunglens::core::training {

namespace fs = std::filesystem;

ClassBalance parseClassBalance(const std::string& name) {
  if (name == "none") return ClassBalance::None;
  if (name == "sqrt") return ClassBalance::Sqrt;
  if (name == "inverse") return ClassBalance::Inverse;
  throw InputError("--balance", "'" + name + "' is not none, sqrt or inverse");
}

std::string classBalanceName(ClassBalance balance) {
  switch (balance) {
    case ClassBalance::None: return "none";
    case ClassBalance::Sqrt: return "sqrt";
    case ClassBalance::Inverse: return "inverse";
  }
  return "inverse";
}

torch::Tensor classWeights(const LoadedSlices& train, ClassBalance balance) {
  std::vector<float> counts(static_cast<size_t>(train.num_classes), 0.0f);
  for (int label : train.labels) counts.at(static_cast<size_t>(label)) += 1.0f;
  std::vector<float> weights(counts.size(), 1.0f);
  if (balance != ClassBalance::None) {
    const float total = std::accumulate(counts.begin(), counts.end(), 0.0f);
    for (size_t c = 0; c < counts.size(); ++c) {
      const float inverse = counts[c] > 0 ? total / (static_cast<float>(counts.size()) * counts[c]) : 0.0f;
      weights[c] = balance == ClassBalance::Sqrt ? std::sqrt(inverse) : inverse;
    }
  }
  return torch::tensor(weights);
}

bool EarlyStopping::update(double validation_loss) {
  if (validation_loss < best_) {
    best_ = validation_loss;
    bad_epochs_ = 0;
    return true;
  }
  ++bad_epochs_;
  return false;
}

namespace {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(ClassifierNet& net, const TrainOptions& o) {
  if (o.optimizer == OptimizerKind::SGD)
    return std::make_unique<torch::optim::SGD>(
        net.parameters(),
        torch::optim::SGDOptions(o.learning_rate).momentum(o.momentum).weight_decay(o.weight_decay).nesterov(true));
  return std::make_unique<torch::optim::AdamW>(
      net.parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(o.weight_decay));
}

// Warm-up: constant rate; fine-tuning: cosine from the full rate towards zero over the remaining epochs.
double learningRate(const TrainOptions& o, int epoch) {
  if (epoch <= o.warmup_epochs) return o.learning_rate;
  const int span = std::max(1, o.epochs - o.warmup_epochs);
  return o.learning_rate * 0.5 * (1.0 + std::cos(M_PI * (epoch - o.warmup_epochs - 1) / span));
}

void freezeBackbone(ClassifierNet& net, bool frozen) {
  const std::string head = net.headPrefix();
  for (auto& p : net.named_parameters()) {
    p.value().set_requires_grad(!frozen || p.key().rfind(head, 0) == 0);
    if (!p.value().requires_grad()) p.value().mutable_grad() = torch::Tensor();
  }
}


torch::Tensor labelsOf(const LoadedSlices& data, const std::vector<int>& indices) {
  std::vector<int64_t> labels;
  for (int i : indices) labels.push_back(data.labels.at(static_cast<size_t>(i)));
  return torch::tensor(labels, torch::kLong);
}

struct Evaluation {
  double loss = 0, accuracy = 0;
};

Evaluation evaluate(ClassifierNet& net, const LoadedSlices& data, const inference::InputSpec& spec,
                    const TrainOptions& o, const torch::Tensor& weights) {
  net.eval();
  torch::NoGradGuard no_grad;
  std::mt19937_64 unused(0);
  double loss_sum = 0, weight_sum = 0, correct = 0;
  const int n = static_cast<int>(data.size());
  for (int start = 0; start < n; start += o.batch_size) {
    std::vector<int> idx(static_cast<size_t>(std::min(o.batch_size, n - start)));
    std::iota(idx.begin(), idx.end(), start);
    const torch::Tensor y = labelsOf(data, idx);
    const torch::Tensor logits = net.forward(makeBatch(data, idx, spec, o.augment, false, unused));
    // Weighted mean over the whole set, as the training loss is weighted per batch.
    const torch::Tensor w = weights.index_select(0, y);
    loss_sum += (torch::nn::functional::cross_entropy(
                     logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)) *
                 w)
                    .sum()
                    .item<double>();
    weight_sum += w.sum().item<double>();
    correct += (logits.argmax(1) == y).sum().item<double>();
  }
  return {weight_sum > 0 ? loss_sum / weight_sum : 0.0, n > 0 ? correct / n : 0.0};
}

// Checkpoint files in the checkpoint folder.
struct Checkpoint {
  fs::path dir;
  fs::path model() const { return dir / "last_model.pt"; }
  fs::path optimizer() const { return dir / "last_optimizer.pt"; }
  fs::path best() const { return dir / "best_model.pt"; }
  fs::path state() const { return dir / "train_state.json"; }
};

void saveModule(const torch::nn::Module& module, const fs::path& file) {
  torch::serialize::OutputArchive archive;
  module.save(archive);
  const fs::path tmp = file.string() + ".tmp";
  archive.save_to(tmp.string());
  fs::rename(tmp, file);
}

void loadModule(torch::nn::Module& module, const std::string& bytes) {
  torch::serialize::InputArchive archive;
  archive.load_from(bytes.data(), bytes.size());
  module.load(archive);
}

nlohmann::json toJson(const std::vector<EpochRecord>& history) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : history)
    out.push_back({{"epoch", r.epoch},
                   {"backbone_frozen", r.backbone_frozen},
                   {"learning_rate", r.learning_rate},
                   {"train_loss", r.train_loss},
                   {"validation_loss", r.validation_loss},
                   {"validation_accuracy", r.validation_accuracy}});
  return out;
}

std::vector<EpochRecord> historyFromJson(const nlohmann::json& j) {
  std::vector<EpochRecord> history;
  for (const auto& r : j)
    history.push_back({r.at("epoch").get<int>(), r.at("backbone_frozen").get<bool>(),
                       r.at("learning_rate").get<double>(), r.at("train_loss").get<double>(),
                       r.at("validation_loss").get<double>(), r.at("validation_accuracy").get<double>()});
  return history;
}

std::string progressLine(const EpochRecord& r, int epochs, double seconds) {
  char line[256];
  std::snprintf(line, sizeof line, "epoch %d/%d %s lr %.2e train_loss %.4f val_loss %.4f val_acc %.3f (%.1f s)",
                r.epoch, epochs, r.backbone_frozen ? "warm-up(head)" : "fine-tune", r.learning_rate, r.train_loss,
                r.validation_loss, r.validation_accuracy, seconds);
  return line;
}

void checkData(const LoadedSlices& data, const ClassifierNet& net, const char* what) {
  if (data.size() == 0) throw InputError(what, "no slices");
  for (int label : data.labels)
    if (label < 0 || label >= net.numClasses())
      throw InputError(what, "label " + std::to_string(label) + " outside the network's " +
                                 std::to_string(net.numClasses()) + " classes");
}

}  // namespace

TrainResult trainClassifier(ClassifierNet& net, const LoadedSlices& train, const LoadedSlices& validation,
                            const inference::InputSpec& spec, const TrainOptions& o) {
  checkData(train, net, "training set");
  checkData(validation, net, "validation set");
  if (o.batch_size < 1 || o.epochs < 1) throw InputError("training options", "epochs and batch size must be >= 1");
  torch::manual_seed(o.seed);
  auto optimizer = makeOptimizer(net, o);
  const torch::Tensor weights = classWeights(train, o.class_balance);
  const Checkpoint ckpt{o.checkpoint_dir};
  TrainResult result;
  EarlyStopping stopping(o.patience);
  int first_epoch = 1;
  // Distributed: rank 0 alone writes checkpoints, and a resume reads them there and sends them to every rank.
  const bool writes = !o.distributed || o.distributed->context->isRoot();
  const auto readCheckpoint = [&](const fs::path& file) -> std::optional<std::string> {
    if (o.distributed) return o.distributed->context->readOnRoot(file);
    if (!fs::exists(file)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  const auto requireCheckpoint = [&](const fs::path& file) {
    auto bytes = readCheckpoint(file);
    if (!bytes) throw InputError(file.string(), "checkpoint file missing");
    return *bytes;
  };
  if (writes && !ckpt.dir.empty()) fs::create_directories(ckpt.dir);
  const std::optional<std::string> saved_state =
      o.resume && !ckpt.dir.empty() ? readCheckpoint(ckpt.state()) : std::nullopt;
  std::string last_model;
  if (saved_state) {
    const nlohmann::json state = nlohmann::json::parse(*saved_state);
    last_model = requireCheckpoint(ckpt.model());
    loadModule(net, last_model);
    const std::string optimizer_bytes = requireCheckpoint(ckpt.optimizer());
    torch::serialize::InputArchive archive;
    archive.load_from(optimizer_bytes.data(), optimizer_bytes.size());
    optimizer->load(archive);
    result.history = historyFromJson(state.at("history"));
    result.best_epoch = state.at("best_epoch").get<int>();
    stopping.restore(state.at("best_validation_loss").get<double>(), state.at("bad_epochs").get<int>());
    first_epoch = state.at("epoch").get<int>() + 1;
    if (o.progress)
      o.progress("resuming after epoch " + std::to_string(first_epoch - 1) + " from " + ckpt.dir.string());
  }
  if (o.distributed) prepareDistributed(net, *o.distributed);  // rank 0's weights everywhere, BatchNorm frozen
  // The best weights so far, in memory (restored at the end).
  std::vector<torch::Tensor> best_state;
  auto snapshot = [&] {
    best_state.clear();
    for (const auto& p : net.parameters()) best_state.push_back(p.detach().clone());
    for (const auto& b : net.buffers()) best_state.push_back(b.detach().clone());
  };
  snapshot();
  if (first_epoch > 1) {
    // Restore "best so far" from disk, then put the last epoch's weights back.
    if (const auto best = readCheckpoint(ckpt.best())) {
      loadModule(net, *best);
      snapshot();
      loadModule(net, last_model);
    }
  }

  const int n = static_cast<int>(train.size());
  for (int epoch = first_epoch; epoch <= o.epochs && !stopping.shouldStop(); ++epoch) {
    const auto started = std::chrono::steady_clock::now();
    EpochRecord record;
    record.epoch = epoch;
    record.backbone_frozen = epoch <= o.warmup_epochs;
    record.learning_rate = learningRate(o, epoch);
    freezeBackbone(net, record.backbone_frozen);
    for (auto& group : optimizer->param_groups()) group.options().set_lr(record.learning_rate);
    // Each epoch's order and augmentation depend on (seed, epoch) only, so a resumed run repeats them.
    const std::uint64_t epoch_seed = o.seed * 1000003ULL + static_cast<std::uint64_t>(epoch);
    std::mt19937_64 rng(epoch_seed);
    torch::manual_seed(epoch_seed);  // dropout
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    net.train();
    double loss_sum = 0;
    int batches = 0;
    // The next batch is read and augmented on a worker thread while this one trains (batch_prefetch.h); a
    // distributed rank trains its shard in trainEpochDistributed instead.
    std::optional<BatchPrefetcher> prefetch;
    if (!o.distributed) prefetch.emplace(train, order, o.batch_size, o.max_batches_per_epoch, spec, o.augment, rng);
    torch::Tensor x, y;
    while (prefetch && prefetch->next(x, y)) {
      o.cancel.throwIfCancelled();
      optimizer->zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(
          net.forward(x), y, torch::nn::functional::CrossEntropyFuncOptions().weight(weights));
      loss.backward();
      optimizer->step();
      loss_sum += loss.item<double>();
      ++batches;
    }
    record.train_loss = o.distributed ? trainEpochDistributed(net, *optimizer, train, spec, o, weights, epoch)
                        : batches   ? loss_sum / batches
                                    : 0.0;
    Evaluation val;
    if (o.distributed) {
      const DistributedEvaluation reduced = evaluateDistributed(net, validation, spec, o, weights);
      val = {reduced.loss, reduced.accuracy};
    } else {
      val = evaluate(net, validation, spec, o, weights);
    }
    record.validation_loss = val.loss;
    record.validation_accuracy = val.accuracy;
    result.history.push_back(record);
    if (stopping.update(val.loss)) {
      result.best_epoch = epoch;
      snapshot();
      if (writes && !ckpt.dir.empty()) saveModule(net, ckpt.best());
    }
    if (writes && !ckpt.dir.empty()) {
      saveModule(net, ckpt.model());
      torch::serialize::OutputArchive archive;
      optimizer->save(archive);
      // Whole or not at all: a kill mid-write keeps the previous epoch's optimizer beside its state.
      const fs::path optimizer_tmp = ckpt.optimizer().string() + ".tmp";
      archive.save_to(optimizer_tmp.string());
      fs::rename(optimizer_tmp, ckpt.optimizer());
      const nlohmann::json state = {{"epoch", epoch},
                                    {"best_epoch", result.best_epoch},
                                    {"best_validation_loss", stopping.best()},
                                    {"bad_epochs", stopping.badEpochs()},
                                    {"history", toJson(result.history)}};
      writeFileAtomically(ckpt.state(), state.dump(2) + "\n", /*overwrite=*/true);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (o.progress) o.progress(progressLine(record, o.epochs, seconds));
  }
  if (o.distributed) o.distributed->context->barrier();  // every rank finished the same epochs
  result.stopped_early = stopping.shouldStop();
  result.best_validation_loss = stopping.best();
  // Back to the best epoch's weights.
  {
    torch::NoGradGuard no_grad;
    size_t k = 0;
    for (auto& p : net.parameters()) p.copy_(best_state.at(k++));
    for (auto& b : net.buffers()) b.copy_(best_state.at(k++));
  }
  freezeBackbone(net, false);
  net.eval();
  if (o.progress && result.stopped_early)
    o.progress("early stop: no lower validation loss for " + std::to_string(o.patience) + " epochs; best epoch " +
               std::to_string(result.best_epoch));
  return result;
}

}  // namespace lunglens::core::training
