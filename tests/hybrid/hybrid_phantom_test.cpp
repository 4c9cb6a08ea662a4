// Hybrid phantoms (issue 13): the generator's findings inserted into the lungs of a real chest CT. Real data:
// TCIA Lung-PET-CT-Dx (CC BY 4.0, doi:10.7937/TCIA.2020.NNC2-0461), subject A0002 (30 slices of 8 mm).
#include "core/hybrid/hybrid_phantom.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/hybrid/hybrid_set.h"
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

// The scanner-side variations (issue 13: one background must look like many scanners): rotation, field of view,
// thicker slices, kernel and calibration, each checked against the values it must produce.
TEST(HybridPhantom, TransformRotatesRescalesThickensAndChangesKernelAndCalibration) {
  const Background& bg = a0002();
  const auto& in = *bg.volume;
  const auto& g = in.geometry();
  ASSERT_EQ(g.cols, g.rows);
  const int k = g.slices / 2;

  hy::BackgroundTransform quarter;  // 90 degrees about the centre lands on voxel centres: exact values
  quarter.rotation_deg = 90;
  const auto r = hy::transformBackground(in, quarter, 1);
  for (int y : {100, 256, 400})
    for (int x : {120, 256, 380}) EXPECT_EQ(r->at(x, y, k), in.at(g.cols - 1 - y, x, k)) << x << "," << y;

  hy::BackgroundTransform zoom;  // half the pixel spacing about the same centre: twice the magnification
  zoom.fov_scale = 0.5;
  const auto z = hy::transformBackground(in, zoom, 1);
  const auto& zg = z->geometry();
  EXPECT_DOUBLE_EQ(zg.spacing_mm[0], 0.5 * g.spacing_mm[0]);
  EXPECT_DOUBLE_EQ(zg.spacing_mm[2], g.spacing_mm[2]);
  const double c = 0.5 * (g.cols - 1);
  for (int axis = 0; axis < 3; ++axis)
    EXPECT_NEAR(zg.voxelToPatient(c, c, k)[axis], g.voxelToPatient(c, c, k)[axis], 1e-6) << "the centre stays";
  // Output pixel 255 shows input position c + 0.5 (255 - c) = 255.25 in both axes: bilinear 0.75 / 0.25.
  const double expected =
      0.5625 * in.at(255, 255, k) + 0.1875 * (in.at(256, 255, k) + in.at(255, 256, k)) + 0.0625 * in.at(256, 256, k);
  EXPECT_NEAR(z->at(255, 255, k), expected, 0.51);

  hy::BackgroundTransform slab;  // two slices averaged: k and k + 1, the last slice on its own
  slab.slab_slices = 2;
  const auto s = hy::transformBackground(in, slab, 1);
  for (int x : {150, 256, 350}) EXPECT_NEAR(s->at(x, 256, k), 0.5 * (in.at(x, 256, k) + in.at(x, 256, k + 1)), 0.51);
  EXPECT_EQ(s->at(256, 256, g.slices - 1), in.at(256, 256, g.slices - 1));
  EXPECT_DOUBLE_EQ(slab.thickness_mm(8.0, g.spacing_mm[2]), 8.0 + g.spacing_mm[2]);

  // Kernel: the neighbour-to-neighbour differences inside the lungs (noise and fine structure) grow with a sharper
  // kernel and shrink with a softer one.
  const auto roughness = [&](const core::volume::Volume& v) {
    double sum = 0;
    for (int y = 150; y < 350; ++y)
      for (int x = 100; x < 400; ++x) sum += std::abs(v.at(x + 1, y, k) - v.at(x, y, k));
    return sum;
  };
  hy::BackgroundTransform sharp, soft;
  sharp.sharpen = 1.0;
  soft.sharpen = -0.6;
  const double base = roughness(in);
  EXPECT_GT(roughness(*hy::transformBackground(in, sharp, 1)), 1.3 * base);
  EXPECT_LT(roughness(*hy::transformBackground(in, soft, 1)), 0.8 * base);

  hy::BackgroundTransform calibration;
  calibration.hu_scale = 1.02;
  calibration.hu_offset = -15;
  const auto cal = hy::transformBackground(in, calibration, 1);
  for (int x : {40, 200, 300})
    EXPECT_EQ(cal->at(x, 256, k), std::clamp(std::lround(in.at(x, 256, k) * 1.02 - 15), -1024L, 3071L));
  EXPECT_NE(calibration.canonical(), hy::BackgroundTransform().canonical()) << "a new subject, new identifiers";
}

// A tightly framed chest (A0002: 0.65 mm pixels, the body fills the image) cannot be zoomed as far as a wide one:
// at 0.75x its lungs reached the image edge, were taken for outside air and the set failed ("no lungs found").
// At the smallest scale its background allows, with the largest shift and rotation, the lungs are still found.
TEST(HybridPhantom, FieldOfViewNeverCutsTheLungs) {
  const Background& bg = a0002();
  const double smallest = hy::smallestFieldOfViewScale(*bg.volume);
  EXPECT_GT(smallest, 0.8) << "A0002 is framed tightly";
  EXPECT_LE(smallest, 1.15);
  hy::HybridParams p = covid(17);
  p.transform.fov_scale = smallest;
  p.transform.shift_mm[0] = -15;
  p.transform.shift_mm[1] = 15;
  p.transform.rotation_deg = -10;
  const ph::Phantom h = hy::makeHybridPhantom(bg.series, *bg.volume, p);
  EXPECT_GT(h.subject.lung_height_mm, 100.0);
  p.transform.fov_scale = 0.75;  // what the first draw allowed
  EXPECT_THROW(hy::makeHybridPhantom(bg.series, *bg.volume, p), core::InputError);
}

TEST(HybridPhantom, NotAChestIsAClearError) {
  const auto catalog = core::dicom::scan(test::pydicomTestFiles() / "CT_small.dcm");
  ASSERT_EQ(catalog.series.size(), 1u);
  const auto volume = core::dicom::loadSeries(catalog.series.front());
  EXPECT_THROW(hy::makeHybridPhantom(catalog.series.front(), *volume, covid(1)), core::InputError);
}

}  // namespace
}  // namespace lunglens
