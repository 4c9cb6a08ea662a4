// Hybrid phantoms (issue 13): the generator's findings inserted into the lungs of a real chest CT. Real data:
// TCIA Lung-PET-CT-Dx (CC BY 4.0, doi:10.7937/TCIA.2020.NNC2-0461), subject A0002 (30 slices of 8 mm).
#include <gtest/gtest.h>

#include <cmath>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/hybrid/hybrid_phantom.h"
#include "core/lung/lung_analysis.h"
#include "tests/common/test_paths.h"

namespace lunglens {
namespace {

namespace ph = core::phantom;
namespace hy = core::hybrid;

struct Background {
  core::dicom::SeriesInfo series;
  core::volume::VolumePtr volume;
};

const Background& a0002() {
  static const Background bg = [] {
    const auto catalog = core::dicom::scan(test::lungPetCtDx() / "Lung_Dx-A0002");
    Background b{catalog.series.at(0), nullptr};
    b.volume = core::dicom::loadSeries(b.series);
    return b;
  }();
  return bg;
}

hy::HybridParams covid(std::uint64_t seed) {
  hy::HybridParams p;
  p.phantom.seed = seed;
  p.phantom.diagnosis = ph::Diagnosis::Covid;
  p.phantom.manifestations = {ph::Finding::Ggo, ph::Finding::Consolidation};
  p.phantom.severity = 0.25;
  p.phantom.threads = 2;
  return p;
}

TEST(HybridPhantom, CovidFindingsGoIntoTheLungsAndNowhereElse) {
  const Background& bg = a0002();
  const ph::Phantom h = hy::makeHybridPhantom(bg.series, *bg.volume, covid(11));
  const auto& g = h.layout.geometry;
  ASSERT_EQ(g.slices, bg.volume->slices());
  ASSERT_EQ(g.cols, bg.volume->geometry().cols);
  const auto lungs = core::lung::analyzeLungs(*bg.volume);
  std::int64_t outside_changed = 0, lesion = 0, lesion_outside_lungs = 0;
  double ggo_rise = 0, cons_hu = 0;
  std::int64_t ggo_n = 0, cons_n = 0;
  for (int k = 0; k < g.slices; ++k) {
    const std::int16_t* before = bg.volume->slice(k);
    const std::int16_t* after = h.volume->slice(k);
    for (std::size_t i = 0; i < g.voxelsPerSlice(); ++i) {
      const std::size_t v = static_cast<std::size_t>(k) * g.voxelsPerSlice() + i;
      const bool in_lung = lungs.mask.labels[v] != 0;
      if (!in_lung && before[i] != after[i]) ++outside_changed;
      const std::uint8_t label = h.labels[v];
      if (label >= 2) {
        ++lesion;
        lesion_outside_lungs += in_lung ? 0 : 1;
      }
      if (label == static_cast<std::uint8_t>(ph::Finding::Ggo)) ggo_rise += after[i] - before[i], ++ggo_n;
      if (label == static_cast<std::uint8_t>(ph::Finding::Consolidation)) cons_hu += after[i], ++cons_n;
    }
  }
  EXPECT_EQ(outside_changed, 0) << "the anatomy outside the lungs must stay the real scan's, voxel for voxel";
  EXPECT_EQ(lesion_outside_lungs, 0);
  ASSERT_GT(ggo_n, 1000);
  ASSERT_GT(cons_n, 100);
  EXPECT_GT(ggo_rise / ggo_n, 150.0) << "ground glass raises aerated lung towards -250 HU";
  EXPECT_GT(cons_hu / cons_n, -350.0) << "consolidation is dense";
  // The truth says what was drawn: the severity asked for, on slices that show it.
  double involved = 0;
  std::int64_t lung_voxels = 0;
  int covid_slices = 0;
  for (const auto& t : h.slices) {
    involved += t.involved_fraction * static_cast<double>(t.lung_voxels);
    lung_voxels += t.lung_voxels;
    covid_slices += t.label == ph::Diagnosis::Covid ? 1 : 0;
  }
  EXPECT_NEAR(involved / static_cast<double>(lung_voxels), 0.25, 0.12);
  EXPECT_GE(covid_slices, g.slices / 3);
  EXPECT_NE(h.params.background.find(bg.series.series_uid), std::string::npos);

  // core/lung sees the inserted disease: more ground glass and consolidation than in the untouched scan.
  const auto measured = core::lung::analyzeLungs(*h.volume);
  EXPECT_GT(measured.both.involved_percent(), lungs.both.involved_percent() + 8.0)
      << "before " << lungs.both.involved_percent() << " %, after " << measured.both.involved_percent() << " %";
  EXPECT_GT(measured.severity_score, lungs.severity_score);
}

TEST(HybridPhantom, NormalSubjectIsTheBackgroundUntouchedAndDeterministic) {
  const Background& bg = a0002();
  hy::HybridParams p = covid(5);
  p.phantom.diagnosis = ph::Diagnosis::Normal;
  p.phantom.manifestations.clear();
  const ph::Phantom h = hy::makeHybridPhantom(bg.series, *bg.volume, p);
  EXPECT_EQ(ph::pixelDigest(*h.volume), ph::pixelDigest(*bg.volume));
  for (const auto& t : h.slices) EXPECT_TRUE(t.findings.empty()) << "slice " << t.index;

  const ph::Phantom a = hy::makeHybridPhantom(bg.series, *bg.volume, covid(21));
  const ph::Phantom b = hy::makeHybridPhantom(bg.series, *bg.volume, covid(21));
  EXPECT_EQ(ph::pixelDigest(*a.volume), ph::pixelDigest(*b.volume));
  EXPECT_EQ(a.labels, b.labels);
}

TEST(HybridPhantom, TransformMirrorsShiftsAndAddsNoise) {
  const Background& bg = a0002();
  const auto& g = bg.volume->geometry();
  hy::BackgroundTransform flip;
  flip.flip_left_right = true;
  const auto once = hy::transformBackground(*bg.volume, flip, 1);
  const auto twice = hy::transformBackground(*once, flip, 1);
  EXPECT_EQ(ph::pixelDigest(*twice), ph::pixelDigest(*bg.volume));
  const int k = g.slices / 2;
  EXPECT_EQ(once->at(0, 100, k), bg.volume->at(g.cols - 1, 100, k));
  hy::BackgroundTransform shift;
  shift.shift_mm[0] = 10 * g.spacing_mm[0];
  const auto shifted = hy::transformBackground(*bg.volume, shift, 1);
  EXPECT_EQ(shifted->at(200, 250, k), bg.volume->at(190, 250, k));
  EXPECT_EQ(shifted->at(3, 250, k), -1000) << "what comes in from outside the image is air";
  hy::BackgroundTransform noisy;
  noisy.extra_noise_hu = 20;
  const auto n = hy::transformBackground(*bg.volume, noisy, 9);
  double sum = 0, sum2 = 0;
  int count = 0;
  for (int y = 200; y < 300; ++y)
    for (int x = 200; x < 300; ++x) {
      const double d = n->at(x, y, k) - bg.volume->at(x, y, k);
      sum += d, sum2 += d * d, ++count;
    }
  EXPECT_NEAR(std::sqrt(sum2 / count - (sum / count) * (sum / count)), 20.0, 2.0);
}

TEST(HybridPhantom, NotAChestIsAClearError) {
  const auto catalog = core::dicom::scan(test::pydicomTestFiles() / "CT_small.dcm");
  ASSERT_EQ(catalog.series.size(), 1u);
  const auto volume = core::dicom::loadSeries(catalog.series.front());
  EXPECT_THROW(hy::makeHybridPhantom(catalog.series.front(), *volume, covid(1)), core::InputError);
}

}  // namespace
}  // namespace lunglens
