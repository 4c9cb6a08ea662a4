#pragma once
// TRAINING-INTERNAL header (includes <torch/torch.h>).
//
// Fine-tuning loop: frozen-backbone warm-up (head only), then the whole network with a cosine learning-rate
// schedule; SGD (momentum) or AdamW; class-balanced cross-entropy; augmentation (augment.h); early stopping on the
// validation loss; checkpoints every epoch and resume; fixed seeds; one progress line per epoch.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/training/augment.h"

namespace lunglens::core::training {

enum class OptimizerKind { SGD, AdamW };

struct DistributedTraining;  // distributed_trainer.h

// Cross-entropy class weights from the training set's class counts n_c (K classes, N slices): none (all 1),
// inverse (N / (K n_c): every class weighs the same in total) or sqrt (its square root: rare classes count more, but
// a common class is not pushed aside where the classes overlap).
enum class ClassBalance { None, Sqrt, Inverse };
ClassBalance parseClassBalance(const std::string& name);  // "none" | "sqrt" | "inverse"; InputError otherwise
std::string classBalanceName(ClassBalance balance);
// The weights for the training set's labels ([num_classes], float): see ClassBalance.
torch::Tensor classWeights(const LoadedSlices& train, ClassBalance balance);

struct TrainOptions {
  int epochs = 30;
  int batch_size = 16;
  OptimizerKind optimizer = OptimizerKind::AdamW;
  double learning_rate = 3e-4;  // AdamW fine-tuning of a pretrained backbone (1e-3 made it spike on phantoms)
  double weight_decay = 1e-4;
  double momentum = 0.9;        // SGD only
  int warmup_epochs = 2;        // epochs 1..warmup train only the head (backbone frozen), at the full rate
  int patience = 5;             // stop after this many epochs without a lower validation loss (0: never)
  ClassBalance class_balance = ClassBalance::Inverse;
  AugmentOptions augment;
  std::filesystem::path checkpoint_dir;  // empty: no checkpoints
  bool resume = false;                   // continue from checkpoint_dir's last epoch if there is one
  std::uint64_t seed = 1;
  int max_batches_per_epoch = 0;  // 0: the whole training set each epoch
  std::function<void(const std::string& line)> progress;
  CancelToken cancel;
  // Set: one rank of a data-parallel run (distributed_trainer.h): the epochs and the validation run sharded and
  // all-reduced, BatchNorm is frozen, only rank 0 writes checkpoints, and a resume reads them on rank 0 only.
  DistributedTraining* distributed = nullptr;
};

struct EpochRecord {
  int epoch = 0;  // 1-based
  bool backbone_frozen = false;
  double learning_rate = 0, train_loss = 0, validation_loss = 0, validation_accuracy = 0;
};

struct TrainResult {
  std::vector<EpochRecord> history;  // includes epochs from before a resume
  int best_epoch = 0;
  double best_validation_loss = 0;
  bool stopped_early = false;
};

// Tracks the best validation loss; shouldStop() once `patience` epochs in a row did not improve on it.
class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}
  bool update(double validation_loss);  // true if this is a new best
  bool shouldStop() const { return patience_ > 0 && bad_epochs_ >= patience_; }
  double best() const { return best_; }
  int badEpochs() const { return bad_epochs_; }
  void restore(double best, int bad_epochs) { best_ = best, bad_epochs_ = bad_epochs; }

 private:
  int patience_;
  double best_ = std::numeric_limits<double>::infinity();
  int bad_epochs_ = 0;
};

// Trains `net` in place and leaves it holding the weights of the best validation epoch (in eval mode).
// Throws InputError for an empty training or validation set or labels outside the network's classes;
// Cancelled if options.cancel fires (the last finished epoch's checkpoint stays resumable).
TrainResult trainClassifier(ClassifierNet& net, const LoadedSlices& train, const LoadedSlices& validation,
                            const inference::InputSpec& spec, const TrainOptions& options);

}  // namespace lunglens::core::training
