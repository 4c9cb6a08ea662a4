// End-to-end training on tiny synthetic HU slices: the loss goes down, checkpoints resume to the same weights as an
// uninterrupted run, early stopping, and the trained network exports to model.pt.
#include "core/training/trainer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/common/error.h"
#include "core/training/network_factory.h"
#include "core/training/torchscript_export.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

constexpr int kSize = 48;

// Three visually distinct classes in HU: a soft-tissue disc, horizontal bands, plain lung; each with its own
// random position/phase and noise.
LoadedSlices syntheticSlices(int per_class, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 30.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  LoadedSlices out;
  out.num_classes = 3;
  for (int i = 0; i < 3 * per_class; ++i) {
    const int label = i % 3;
    HuSlice s;
    s.rows = s.cols = kSize;
    s.hu.resize(kSize * kSize);
    const double cx = 14 + 20 * u(rng), cy = 14 + 20 * u(rng), phase = 8 * u(rng);
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) {
        double hu = -800;
        if (label == 0 && std::hypot(x - cx, y - cy) < 9) hu = 40;
        if (label == 1 && std::fmod(y + phase, 8.0) < 3) hu = -100;
        s.hu[static_cast<size_t>(y) * kSize + x] = static_cast<std::int16_t>(hu + noise(rng));
      }
    out.slices.push_back(std::move(s));
    out.labels.push_back(label);
  }
  return out;
}

inference::InputSpec tinySpec() {
  inference::InputSpec spec;
  spec.height = spec.width = kSize;
  spec.channels = {volume::lungWindow(), volume::mediastinumWindow(), volume::lungWindow()};
  spec.mean = {0.485, 0.456, 0.406};
  spec.std = {0.229, 0.224, 0.225};
  return spec;
}

TrainOptions quickOptions() {
  TrainOptions o;
  o.epochs = 4;
  o.warmup_epochs = 1;
  o.batch_size = 9;
  o.learning_rate = 2e-3;
  o.patience = 0;
  o.seed = 11;
  return o;
}

std::shared_ptr<ClassifierNet> tinyNetwork() {
  NetworkSpec spec;
  spec.architecture = Architecture::ResNet18;
  spec.num_classes = 3;
  spec.seed = 4;
  return createNetwork(spec);
}

// Class weights from the training set's counts n_c (here 6 / 2 / 1 of 9, 3 classes): inverse N / (K n_c) makes every
// class weigh the same in total, sqrt is its square root, none is all ones; unknown names are refused.
TEST(ClassBalance, WeightsFollowTheCountsAsDocumented) {
  LoadedSlices train;
  train.num_classes = 3;
  train.labels = {0, 0, 0, 0, 0, 0, 1, 1, 2};
  const torch::Tensor inverse = classWeights(train, ClassBalance::Inverse);
  const torch::Tensor root = classWeights(train, ClassBalance::Sqrt);
  const torch::Tensor none = classWeights(train, ClassBalance::None);
  const float expected[3] = {9.0f / 18, 9.0f / 6, 9.0f / 3};
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(inverse[c].item<float>(), expected[c], 1e-6) << c;
    EXPECT_NEAR(root[c].item<float>(), std::sqrt(expected[c]), 1e-6) << c;
    EXPECT_EQ(none[c].item<float>(), 1.0f) << c;
    // Each class's total weight (count x weight) is the same under inverse weighting.
    EXPECT_NEAR(inverse[c].item<float>() * (c == 0 ? 6 : c == 1 ? 2 : 1), 3.0f, 1e-5) << c;
  }
  EXPECT_EQ(parseClassBalance("sqrt"), ClassBalance::Sqrt);
  EXPECT_EQ(classBalanceName(parseClassBalance("none")), "none");
  EXPECT_THROW(parseClassBalance("balanced"), InputError);
}

TEST(Trainer, LossGoesDownAndProgressLinesArePrinted) {
  const LoadedSlices train = syntheticSlices(12, 1), validation = syntheticSlices(4, 2);
  auto net = tinyNetwork();
  std::vector<std::string> lines;
  TrainOptions o = quickOptions();
  o.progress = [&](const std::string& line) { lines.push_back(line); };
  const TrainResult result = trainClassifier(*net, train, validation, tinySpec(), o);
  ASSERT_EQ(result.history.size(), 4u);
  for (const auto& r : result.history)
    std::cout << "epoch " << r.epoch << " train " << r.train_loss << " val " << r.validation_loss << " acc "
              << r.validation_accuracy << "\n";
  EXPECT_TRUE(result.history[0].backbone_frozen);
  EXPECT_FALSE(result.history[1].backbone_frozen);
  EXPECT_LT(result.history.back().learning_rate, result.history[1].learning_rate);  // cosine decay
  EXPECT_LT(result.history.back().train_loss, 0.7 * result.history.front().train_loss);
  EXPECT_LT(result.best_validation_loss, result.history.front().validation_loss);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("epoch 1/4 warm-up(head)"), std::string::npos) << lines[0];
  EXPECT_NE(lines[3].find("val_loss"), std::string::npos) << lines[3];
  EXPECT_FALSE(net->is_training());

  // The trained network exports and the bundle's module agrees with it.
  torch::jit::Module module = exportTorchScript(*net);
  torch::NoGradGuard no_grad;
  const torch::Tensor x = torch::randn({2, 3, kSize, kSize});
  const torch::Tensor exported = module.forward({x}).toTuple()->elements()[0].toTensor();
  EXPECT_LT((exported - net->forward(x)).abs().max().item<double>(), 1e-4);
}

TEST(Trainer, ResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne) {
  const LoadedSlices train = syntheticSlices(6, 3), validation = syntheticSlices(2, 4);
  TrainOptions o = quickOptions();
  o.epochs = 3;
  o.checkpoint_dir = test::scratchDir("trainer-straight");
  auto straight = tinyNetwork();
  const TrainResult a = trainClassifier(*straight, train, validation, tinySpec(), o);

  o.checkpoint_dir = test::scratchDir("trainer-resumed");
  auto resumed = tinyNetwork();
  o.epochs = 2;
  trainClassifier(*resumed, train, validation, tinySpec(), o);
  EXPECT_TRUE(std::filesystem::exists(o.checkpoint_dir / "train_state.json"));
  auto fresh = tinyNetwork();  // a new process would start from scratch weights and load the checkpoint
  o.epochs = 3;
  o.resume = true;
  std::vector<std::string> lines;
  o.progress = [&](const std::string& line) { lines.push_back(line); };
  const TrainResult b = trainClassifier(*fresh, train, validation, tinySpec(), o);
  ASSERT_EQ(b.history.size(), 3u);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("resuming after epoch 2"), std::string::npos) << lines[0];
  EXPECT_EQ(lines.size(), 2u);  // the resume line and epoch 3 only
  for (size_t e = 0; e < 3; ++e) EXPECT_NEAR(a.history[e].train_loss, b.history[e].train_loss, 1e-4) << e;
  EXPECT_EQ(a.best_epoch, b.best_epoch);
  const auto pa = straight->named_parameters(), pb = fresh->named_parameters();
  for (const auto& p : pa) EXPECT_TRUE(torch::allclose(p.value(), pb[p.key()], 1e-4, 1e-5)) << p.key();
}

TEST(Trainer, EarlyStoppingCountsEpochsWithoutImprovement) {
  EarlyStopping stop(2);
  EXPECT_TRUE(stop.update(1.0));
  EXPECT_TRUE(stop.update(0.8));
  EXPECT_FALSE(stop.update(0.9));
  EXPECT_FALSE(stop.shouldStop());
  EXPECT_FALSE(stop.update(0.8));  // equal is not better
  EXPECT_TRUE(stop.shouldStop());
  EXPECT_DOUBLE_EQ(stop.best(), 0.8);
  EarlyStopping never(0);
  for (int i = 0; i < 10; ++i) never.update(1.0);
  EXPECT_FALSE(never.shouldStop());
}

TEST(Trainer, StopsEarlyWhenValidationLossStopsImprovingAndKeepsTheBestEpoch) {
  // Validation labels are noise relative to the images: its loss cannot keep improving while training fits.
  const LoadedSlices train = syntheticSlices(6, 5);
  LoadedSlices validation = syntheticSlices(3, 6);
  for (size_t i = 0; i < validation.labels.size(); ++i) validation.labels[i] = static_cast<int>((i * 7 / 3) % 3);
  TrainOptions o = quickOptions();
  o.epochs = 12;
  o.patience = 2;
  o.learning_rate = 5e-3;
  auto net = tinyNetwork();
  const TrainResult result = trainClassifier(*net, train, validation, tinySpec(), o);
  EXPECT_TRUE(result.stopped_early);
  EXPECT_LT(result.history.size(), 12u);
  EXPECT_EQ(static_cast<int>(result.history.size()), result.best_epoch + 2);
}

TEST(Trainer, BadInputsAreInputErrors) {
  auto net = tinyNetwork();
  LoadedSlices empty;
  empty.num_classes = 3;
  const LoadedSlices some = syntheticSlices(1, 1);
  EXPECT_THROW(trainClassifier(*net, empty, some, tinySpec(), quickOptions()), InputError);
  LoadedSlices wrong = some;
  wrong.labels[0] = 5;
  EXPECT_THROW(trainClassifier(*net, wrong, some, tinySpec(), quickOptions()), InputError);
}

}  // namespace
}  // namespace lunglens::core::training
