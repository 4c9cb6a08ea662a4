// HU of each tissue and finding, measured over the voxels the label volume assigns to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

using test::cachedPhantom;
using test::huStats;
using test::quickParams;

std::uint8_t id(Finding f) { return static_cast<std::uint8_t>(f); }

TEST(PhantomHu, CovidFindingsHaveTheirTypicalDensity) {
  const Phantom& ph = cachedPhantom(quickParams(3, Diagnosis::Covid, {}, 0.35));
  const auto lung = huStats(ph, kLabelLung), ggo = huStats(ph, id(Finding::Ggo)),
             cons = huStats(ph, id(Finding::Consolidation)), fib = huStats(ph, id(Finding::FibroticStreaks));
  ASSERT_GT(ggo.count, 1000);
  ASSERT_GT(cons.count, 200);
  ASSERT_GT(fib.count, 20);
  EXPECT_LT(lung.mean, -650);  // lung around the findings, vessels and bronchi included
  EXPECT_GT(ggo.mean, -750);  // hazy: denser than lung, far from soft tissue
  EXPECT_LT(ggo.mean, -300);
  EXPECT_GT(cons.mean, -100);  // consolidation: soft-tissue density
  EXPECT_LT(cons.mean, 60);
  EXPECT_GT(fib.mean, lung.mean + 150);  // thin dense bands (partial volume keeps them below soft tissue)
}

TEST(PhantomHu, NormalLungParenchymaIsAboutMinus850) {
  for (std::uint64_t seed : {1u, 2u}) {
    const auto lung = huStats(cachedPhantom(quickParams(seed, Diagnosis::Normal)), kLabelLung);
    ASSERT_GT(lung.count, 100000);
    EXPECT_GT(lung.median, -900) << seed;  // the parenchyma itself
    EXPECT_LT(lung.median, -800) << seed;
    EXPECT_GT(lung.mean, -880) << seed;  // with vessels and bronchi
    EXPECT_LT(lung.mean, -720) << seed;
  }
}

TEST(PhantomHu, CrazyPavingIsGroundGlassWithReticulation) {
  const Phantom& ph = cachedPhantom(quickParams(4, Diagnosis::Covid, {Finding::CrazyPaving}, 0.3));
  const auto cp = huStats(ph, id(Finding::CrazyPaving));
  ASSERT_GT(cp.count, 1000);
  EXPECT_GT(cp.mean, -750);
  EXPECT_LT(cp.mean, -250);
  const Phantom& plain = cachedPhantom(quickParams(4, Diagnosis::Covid, {Finding::Ggo}, 0.3));
  EXPECT_GT(cp.sd, huStats(plain, id(Finding::Ggo)).sd);  // the septal lines add texture
}

TEST(PhantomHu, OtherPneumoniaFindingsHaveTheirTypicalDensity) {
  const auto lobar = huStats(cachedPhantom(quickParams(5, Diagnosis::OtherPneumonia, {Finding::LobarConsolidation}, 0.15)),
                             id(Finding::LobarConsolidation));
  ASSERT_GT(lobar.count, 1000);
  EXPECT_GT(lobar.mean, -100);
  EXPECT_LT(lobar.mean, 60);
  const Phantom& tb = cachedPhantom(quickParams(6, Diagnosis::OtherPneumonia, {Finding::TreeInBud, Finding::Cavity}, 0.4));
  const auto lung = huStats(tb, kLabelLung), buds = huStats(tb, id(Finding::TreeInBud)),
             cavity = huStats(tb, id(Finding::Cavity));
  ASSERT_GT(buds.count, 20);
  ASSERT_GT(cavity.count, 50);
  EXPECT_GT(buds.mean, lung.mean + 200);
  EXPECT_LT(cavity.mean, -150);  // an air-filled inside within a soft-tissue wall
  EXPECT_GT(cavity.sd, 250);
  const auto bp = huStats(cachedPhantom(quickParams(7, Diagnosis::OtherPneumonia, {Finding::Bronchopneumonia}, 0.2)),
                          id(Finding::Bronchopneumonia));
  ASSERT_GT(bp.count, 500);
  EXPECT_GT(bp.mean, -550);
  EXPECT_LT(bp.mean, 40);
}

TEST(PhantomHu, NoiseMatchesTheRequestedSigmaAndKernel) {
  for (double sigma : {10.0, 25.0}) {
    PhantomParams p = quickParams(8, Diagnosis::Normal);
    p.slices = 6;
    p.noise_sigma_hu = sigma;
    const Phantom& ph = cachedPhantom(p);
    // Air in the top rows (in front of the patient, no structure): only noise around -1000.
    double sum = 0, sum2 = 0, n = 0;
    const auto& g = ph.layout.geometry;
    for (int k = 0; k < g.slices; ++k)
      for (int y = 2; y < 20; ++y)
        for (int x = 2; x < g.cols - 2; ++x) {
          const double v = ph.volume->at(x, y, k);
          sum += v, sum2 += v * v, ++n;
        }
    const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    EXPECT_NEAR(mean, -1000, 3);
    EXPECT_GT(sd, 0.75 * sigma) << sigma;
    EXPECT_LT(sd, 1.25 * sigma) << sigma;
  }
}

TEST(PhantomHu, BoneIsCorticalAndBodyHasFatAndMuscle) {
  const Phantom& ph = cachedPhantom(quickParams(1, Diagnosis::Normal));
  const auto& g = ph.layout.geometry;
  const int k = g.slices / 2;
  std::int16_t max_hu = -2000;
  int fat = 0, muscle = 0;
  for (int y = 0; y < g.rows; ++y)
    for (int x = 0; x < g.cols; ++x) {
      const std::int16_t v = ph.volume->at(x, y, k);
      max_hu = std::max(max_hu, v);
      fat += v > -130 && v < -70;
      muscle += v > 20 && v < 70;
    }
  EXPECT_GT(max_hu, 700);  // cortical bone
  EXPECT_GT(fat, 1000);
  EXPECT_GT(muscle, 1000);
}

}  // namespace
}  // namespace lunglens::core::phantom
