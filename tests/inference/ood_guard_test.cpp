// The OOD guard's arithmetic (Mahalanobis distance to class means under a shared covariance, the validation
// quantile threshold), its file (round trip, refusal of a foreign or damaged guard) and the series rule.
#include <cmath>
#include <fstream>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/inference/model.h"
#include "core/inference/ood_guard.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace lunglens {
namespace {

namespace inf = core::inference;
namespace fs = std::filesystem;

// Two classes in 3-D with independent unit-variance noise around (±4, 0, 0).
void gaussianRows(int n, std::mt19937& rng, std::vector<float>& rows, std::vector<int>& labels, double scale = 1.0) {
  std::normal_distribution<float> noise(0.0f, static_cast<float>(scale));
  for (int i = 0; i < n; ++i) {
    const int c = i % 2;
    rows.push_back((c ? 4.0f : -4.0f) + noise(rng));
    rows.push_back(noise(rng));
    rows.push_back(noise(rng));
    labels.push_back(c);
  }
}

inf::OodGuard fitted(std::mt19937& rng) {
  std::vector<float> train, validation;
  std::vector<int> labels, vlabels;
  gaussianRows(4000, rng, train, labels);
  gaussianRows(2000, rng, validation, vlabels);
  return inf::fitOodGuard(train, labels, validation, 3, {"a", "b"}, 0.99, 0.0);
}

TEST(OodGuard, ScoreIsTheSmallestMahalanobisDistanceToAClassMean) {
  std::mt19937 rng(7);
  const inf::OodGuard g = fitted(rng);
  ASSERT_EQ(g.means.size(), 2u);
  EXPECT_NEAR(g.means[0][0], -4.0, 0.1);
  EXPECT_NEAR(g.means[1][0], 4.0, 0.1);
  // Unit covariance: the score is the squared Euclidean distance to the nearer mean.
  const float p[3] = {3.0f, 1.0f, 0.0f};
  EXPECT_NEAR(g.score(p), 1.0 + 1.0, 0.15);
  // Chi-square with 3 degrees of freedom: its 99th percentile is 11.34.
  EXPECT_NEAR(g.threshold, 11.34, 1.5);
  EXPECT_NEAR(g.validation_flag_rate, 0.01, 0.006);
}

TEST(OodGuard, FlagsWhatLiesFarFromEveryClassAndKeepsWhatIsNear) {
  std::mt19937 rng(11);
  const inf::OodGuard g = fitted(rng);
  std::vector<float> near, far;
  std::vector<int> l1, l2;
  gaussianRows(1000, rng, near, l1);
  int near_flagged = 0, far_flagged = 0;
  for (int i = 0; i < 1000; ++i) near_flagged += g.outOfDistribution(g.score(near.data() + 3 * i));
  // Between the classes, where no training slice was: out of distribution although "between" two known ones.
  std::normal_distribution<float> noise(0.0f, 1.0f);
  for (int i = 0; i < 1000; ++i) {
    const float p[3] = {noise(rng), 6.0f + noise(rng), noise(rng)};
    far_flagged += g.outOfDistribution(g.score(p));
  }
  EXPECT_LE(near_flagged, 25);
  EXPECT_GE(far_flagged, 950);
  const float nan[3] = {NAN, 0.0f, 0.0f};
  EXPECT_TRUE(g.outOfDistribution(g.score(nan)));
}

TEST(OodGuard, FileRoundTripAndRefusals) {
  std::mt19937 rng(3);
  inf::OodGuard g = fitted(rng);
  g.model_sha256 = "abc";
  const fs::path dir = test::scratchDir("ood_guard_file");
  const fs::path file = dir / "ood_guard.json";
  inf::writeOodGuard(g, file);
  const inf::OodGuard back = inf::readOodGuard(file, "abc");
  EXPECT_EQ(back.dim, 3);
  EXPECT_NEAR(back.threshold, g.threshold, 1e-9);
  const float p[3] = {1.0f, 2.0f, 3.0f};
  EXPECT_NEAR(back.score(p), g.score(p), 1e-4 * g.score(p));
  EXPECT_THROW(inf::readOodGuard(file, "another-model"), core::InputError);

  nlohmann::json j;
  std::ifstream(file) >> j;
  auto tampered = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json t = j;
    edit(t);
    std::ofstream(dir / "t.json") << t.dump();
    return dir / "t.json";
  };
  EXPECT_THROW(inf::readOodGuard(tampered([](nlohmann::json& t) { t["dim"] = 4; })), core::InputError);
  EXPECT_THROW(inf::readOodGuard(tampered([](nlohmann::json& t) { t["threshold"] = -1; })), core::InputError);
  EXPECT_THROW(inf::readOodGuard(tampered([](nlohmann::json& t) { t["precision"][0] = "x"; })), core::InputError);
  EXPECT_THROW(inf::readOodGuard(tampered([](nlohmann::json& t) { t["means"].erase(1); })), core::InputError);
  std::ofstream(dir / "deep.json") << std::string(100000, '[') << std::string(100000, ']');
  EXPECT_THROW(inf::readOodGuard(dir / "deep.json"), core::InputError);
  EXPECT_THROW(inf::readOodGuard(dir / "missing.json"), core::InputError);
}

TEST(OodGuard, FitNeedsValidationSlices) {
  std::vector<float> rows{0, 1, 2, 3, 4, 5};
  EXPECT_THROW(inf::fitOodGuard(rows, {0, 0}, {}, 3, {"a"}), core::InputError);
}

TEST(OodGuard, SeriesIsOutOfDistributionWhenMostOfItsSlicesAre) {
  EXPECT_FALSE(inf::summarizeOod(false, {true, true}).out_of_distribution);
  EXPECT_FALSE(inf::summarizeOod(false, {true}).guarded);
  EXPECT_FALSE(inf::summarizeOod(true, {true, false}).out_of_distribution);
  const auto s = inf::summarizeOod(true, {true, true, false});
  EXPECT_TRUE(s.out_of_distribution);
  EXPECT_EQ(s.flagged, 2);
  EXPECT_NEAR(s.flaggedFraction(), 2.0 / 3.0, 1e-12);
  EXPECT_FALSE(inf::summarizeOod(true, {}).out_of_distribution);
}

TEST(OodGuard, ModelLoadsItsGuardAndRefusesOneOfAnotherSize) {
  const fs::path dir = test::scratchDir("ood_guard_bundle");
  test::TinySpec spec;
  test::writeTinyBundle(dir, spec);
  const auto plain = inf::Model::load(dir);
  EXPECT_EQ(plain->oodGuard(), nullptr);
  ASSERT_EQ(plain->featureLength(), spec.features);
  // Pooled features of the scoring path, one row per image.
  std::vector<float> images(2 * plain->valuesPerImage(), 0.25f), features;
  const auto probs = plain->predict(images.data(), 2, &features);
  ASSERT_EQ(features.size(), 2u * spec.features);
  EXPECT_EQ(probs, plain->predict(images.data(), 2));

  inf::OodGuard g;
  g.dim = spec.features;
  g.classes = {"covid"};
  g.means = {std::vector<float>(spec.features, 0.0f)};
  g.precision.assign(spec.features * spec.features, 0.0f);
  for (int i = 0; i < spec.features; ++i) g.precision[i * spec.features + i] = 1.0f;
  g.threshold = 1.0;
  g.model_sha256 = plain->manifest().model_sha256;
  inf::writeOodGuard(g, dir / "ood_guard.json");
  const auto guarded = inf::Model::load(dir);
  ASSERT_NE(guarded->oodGuard(), nullptr);
  EXPECT_EQ(guarded->oodGuard()->dim, spec.features);

  g.dim = spec.features + 1;
  g.means = {std::vector<float>(g.dim, 0.0f)};
  g.precision.assign(g.dim * g.dim, 0.0f);
  inf::writeOodGuard(g, dir / "ood_guard.json");
  EXPECT_THROW(inf::Model::load(dir), core::InputError);
}

}  // namespace
}  // namespace lunglens
