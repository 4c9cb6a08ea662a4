// Where the findings sit, measured from the label volume: COVID GGO peripheral, posterior, lower and bilateral;
// lobar pneumonia unilateral; tuberculosis in the upper lungs; severity as asked.
#include <gtest/gtest.h>

#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

using test::cachedPhantom;
using test::quickParams;

struct Where {
  std::int64_t count = 0, posterior = 0, lower = 0, left = 0, right = 0, upper = 0;
  double depth_sum = 0;
  double meanDepth() const { return count ? depth_sum / count : 0; }
};

// Position statistics of the voxels with label `label` (or of all lung voxels, label 1 meaning any lung label).
// Posterior / lower / upper are relative to the lungs' own centroid and extent in z.
Where where(const Phantom& ph, std::uint8_t label, bool anyLung = false) {
  const auto& g = ph.layout.geometry;
  const auto depth = test::lungDepthMap(ph);
  const std::size_t per = g.voxelsPerSlice();
  int zmin = g.slices, zmax = -1;
  double ysum = 0, yn = 0;
  for (int k = 0; k < g.slices; ++k)
    for (std::size_t i = 0; i < per; ++i)
      if (ph.labels[k * per + i] != 0) {
        zmin = std::min(zmin, k), zmax = std::max(zmax, k);
        ysum += static_cast<double>(i / g.cols), ++yn;
      }
  const double ycentre = ysum / yn, zmid = 0.5 * (zmin + zmax);
  Where w;
  for (int k = 0; k < g.slices; ++k)
    for (std::size_t i = 0; i < per; ++i) {
      const std::uint8_t l = ph.labels[k * per + i];
      if (anyLung ? l == 0 : l != label) continue;
      ++w.count;
      w.depth_sum += depth[k * per + i];
      w.posterior += static_cast<double>(i / g.cols) > ycentre;  // rows grow posterior
      w.lower += k < zmid;
      w.upper += k > zmid;
      (static_cast<int>(i % g.cols) < g.cols / 2 ? w.right : w.left) += 1;  // columns grow to the patient's left
    }
  return w;
}

TEST(PhantomDistribution, CovidGgoIsPeripheralPosteriorLowerAndBilateral) {
  const Phantom& ph = cachedPhantom(quickParams(3, Diagnosis::Covid, {}, 0.35));
  const Where ggo = where(ph, static_cast<std::uint8_t>(Finding::Ggo));
  const Where lung = where(ph, kLabelLung, true);
  ASSERT_GT(ggo.count, 1000);
  EXPECT_LT(ggo.meanDepth(), 0.8 * lung.meanDepth());
  // Predominance relative to where the lung itself is (the bases hold less lung than the upper half of the z range).
  const double ggo_post = static_cast<double>(ggo.posterior) / ggo.count, lung_post = static_cast<double>(lung.posterior) / lung.count;
  const double ggo_low = static_cast<double>(ggo.lower) / ggo.count, lung_low = static_cast<double>(lung.lower) / lung.count;
  EXPECT_GT(ggo_post, 0.6);
  EXPECT_GT(ggo_post, lung_post + 0.1);
  EXPECT_GT(ggo_low, lung_low + 0.1);
  EXPECT_GT(static_cast<double>(std::min(ggo.left, ggo.right)) / ggo.count, 0.15);  // both lungs
}

TEST(PhantomDistribution, LobarConsolidationIsUnilateralAndNotPeripheral) {
  for (std::uint64_t seed : {21u, 22u, 23u}) {
    const Phantom& ph = cachedPhantom(quickParams(seed, Diagnosis::OtherPneumonia, {Finding::LobarConsolidation}, 0.12));
    const Where lob = where(ph, static_cast<std::uint8_t>(Finding::LobarConsolidation));
    const Where lung = where(ph, kLabelLung, true);
    ASSERT_GT(lob.count, 1000) << seed;
    EXPECT_GT(static_cast<double>(std::max(lob.left, lob.right)) / lob.count, 0.99) << seed;
    EXPECT_GT(lob.meanDepth(), 0.7 * lung.meanDepth()) << seed;
  }
}

TEST(PhantomDistribution, TuberculosisSitsInTheUpperLungs) {
  const Phantom& ph = cachedPhantom(quickParams(6, Diagnosis::OtherPneumonia, {Finding::TreeInBud, Finding::Cavity}, 0.4));
  const Where buds = where(ph, static_cast<std::uint8_t>(Finding::TreeInBud));
  const Where cavity = where(ph, static_cast<std::uint8_t>(Finding::Cavity));
  ASSERT_GT(buds.count, 20);
  ASSERT_GT(cavity.count, 50);
  EXPECT_GT(static_cast<double>(buds.upper) / buds.count, 0.7);
  EXPECT_GT(static_cast<double>(cavity.upper) / cavity.count, 0.9);
}

TEST(PhantomDistribution, SeverityControlsTheInvolvedFraction) {
  auto involved = [](double severity) {
    const Phantom& ph = cachedPhantom(quickParams(9, Diagnosis::Covid, {Finding::Ggo}, severity));
    std::int64_t lung = 0, hit = 0;
    for (const auto& s : ph.slices) {
      lung += s.lung_voxels;
      hit += static_cast<std::int64_t>(s.involved_fraction * s.lung_voxels + 0.5);
    }
    return static_cast<double>(hit) / lung;
  };
  const double low = involved(0.1), high = involved(0.4);
  EXPECT_GT(low, 0.05);
  EXPECT_LT(low, 0.2);
  EXPECT_GT(high, 0.25);
  EXPECT_LT(high, 0.6);
}

TEST(PhantomDistribution, NormalHasNoFindings) {
  const Phantom& ph = cachedPhantom(quickParams(10, Diagnosis::Normal));
  for (const auto& s : ph.slices) {
    EXPECT_EQ(s.label, Diagnosis::Normal);
    EXPECT_TRUE(s.findings.empty());
  }
  for (std::uint8_t l : ph.labels) ASSERT_LE(l, kLabelLung);
  const Phantom& nod = cachedPhantom(quickParams(10, Diagnosis::Normal, {Finding::Nodule}));
  int nodule_slices = 0;
  for (const auto& s : nod.slices) {
    EXPECT_EQ(s.label, Diagnosis::Normal);  // an incidental nodule is not pneumonia
    nodule_slices += !s.findings.empty();
  }
  EXPECT_GT(nodule_slices, 0);
}

}  // namespace
}  // namespace lunglens::core::phantom
