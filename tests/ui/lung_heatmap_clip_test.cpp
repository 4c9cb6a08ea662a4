// No Grad-CAM pixel outside the dilated lung mask: a real TorchScript model (the hand-set dev bundle) makes a
// Grad-CAM map of every slice, and the one clip (core/export/heatmap_clip.h) that the viewer, the exports and
// `classify --heatmaps` use keeps every drawn pixel inside core::lung::dilatedSliceMask — on a phantom and on the
// four shared Lung-PET-CT-Dx series (TCIA, CC BY 4.0). Slices without lung draw nothing. Headless.
#include <gtest/gtest.h>

#include <iostream>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/export/heatmap_clip.h"
#include "core/inference/engine.h"
#include "core/inference/heatmap.h"
#include "core/inference/model.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/generator.h"
#include "tests/common/test_paths.h"
#include "tests/ui/ai_dev_bundle.h"
#include "ui/paint/heatmap_layer.h"

namespace fs = std::filesystem;
using namespace lunglens;
namespace inf = core::inference;
namespace ex = core::exporting;

namespace {

struct Tally {
  int slices = 0, with_heat = 0, without_lung = 0;
  long drawn_inside = 0;      // drawn pixels (all inside, or the test failed)
  long unclipped_outside = 0; // what the map would have put outside the dilated lungs without the clip
};

Tally checkSeries(const std::string& uid, core::volume::VolumePtr volume) {
  static const test::DevBundles dev = test::writeDevBundles(test::suiteScratchDir("lung-clip-bundles"));
  const inf::ModelPtr model = inf::Model::load(dev.diagnosis);
  const core::lung::LungAnalysis lungs = core::lung::analyzeLungs(*volume);
  inf::EngineOptions options;
  options.threads = 2;
  options.heatmap_focus = false;
  inf::InferenceEngine engine(model, nullptr, options);
  engine.openSeries(uid, volume);
  engine.waitUntilIdle();
  // Grad-CAM of every third slice and of every slice without lung (keeps the suite well under a minute).
  for (int z = 0; z < volume->slices(); ++z)
    if (z % 3 == 0 || !lungs.mask.sliceHasLung(z)) engine.requestHeatmap(z);
  engine.waitUntilIdle();

  Tally t;
  const auto& g = volume->geometry();
  const std::size_t n = g.voxelsPerSlice();
  for (const auto& r : engine.results().all(uid)) {
    ++t.slices;
    if (r.diagnosis_heatmap.empty()) continue;
    const int z = r.slice;
    const auto dilated = core::lung::dilatedSliceMask(lungs.mask, z, ex::kHeatmapLungMargin_mm);
    const ex::HeatmapClip clip = ex::heatmapClip(&lungs.mask, z, volume->slice(z), g.cols, g.rows);
    EXPECT_TRUE(clip.lung);
    if (!lungs.mask.sliceHasLung(z)) ++t.without_lung;
    // The viewer's, the gallery's and the exports' layer (display flips off: pixel i is voxel i).
    const core::inference::HeatmapGrid grid{g.cols, g.rows, inf::heatmapOnSlice(r.diagnosis_heatmap, g.rows, g.cols,
                                                                    model->manifest().input)};
    const QImage layer = ui::paint::heatmapLayer(grid, clip, g.cols, g.rows, {false, false});
    const QImage unclipped = ui::paint::heatmapLayer(grid, static_cast<const std::int16_t*>(nullptr), g.cols, g.rows,
                                                     {false, false});
    // classify --heatmaps' grey PNG.
    auto grey = inf::heatmapOnSliceGrey(r.diagnosis_heatmap, g.rows, g.cols, model->manifest().input);
    ex::applyHeatmapClip(grey, clip);
    long outside = 0, inside = 0, greyOutside = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const int x = static_cast<int>(i % static_cast<std::size_t>(g.cols)), y = static_cast<int>(i / g.cols);
      const bool drawn = qAlpha(layer.pixel(x, y)) > 0;
      if (!dilated[i]) {
        outside += drawn ? 1 : 0;
        greyOutside += grey[i] > 0 ? 1 : 0;
        t.unclipped_outside += qAlpha(unclipped.pixel(x, y)) > 0 ? 1 : 0;
      } else {
        inside += drawn ? 1 : 0;
      }
    }
    EXPECT_EQ(outside, 0) << uid << " slice " << z;
    EXPECT_EQ(greyOutside, 0) << uid << " slice " << z;
    if (!lungs.mask.sliceHasLung(z)) {
      EXPECT_EQ(inside, 0) << "slice " << z << " has no lung";
    }
    t.drawn_inside += inside;
    t.with_heat += inside > 0 ? 1 : 0;
  }
  std::cout << uid << ": " << t.slices << " slices, " << t.with_heat << " with heat inside the lungs, "
            << t.without_lung << " without lung; " << t.drawn_inside << " pixels drawn inside, "
            << t.unclipped_outside << " that the unclipped map had outside\n";
  return t;
}

}  // namespace

TEST(LungHeatmapClip, NoGradCamPixelOutsideTheDilatedLungsOnAPhantom) {
  core::phantom::PhantomParams params;
  params.seed = 12;
  params.slices = 40;
  params.size = 256;
  params.severity = 0.3;
  params.threads = 2;
  const auto phantom = core::phantom::generatePhantom(params);
  const Tally t = checkSeries("phantom-12", phantom.volume);
  EXPECT_EQ(t.slices, 40);
  EXPECT_GT(t.with_heat, 3);  // the clip leaves the lungs' heat: the test sees drawn pixels
  EXPECT_GT(t.drawn_inside, 0);
}

TEST(LungHeatmapClip, NoGradCamPixelOutsideTheDilatedLungsOnTheFourRealSeries) {
  const fs::path root = test::lungPetCtDx();
  if (!fs::exists(root)) GTEST_SKIP() << "shared data missing";
  int series = 0;
  long unclippedOutside = 0;
  for (const char* patient : {"Lung_Dx-A0001", "Lung_Dx-A0002"}) {
    const auto catalog = core::dicom::scan(root / patient);
    for (const auto& s : catalog.series) {
      if (s.slices.size() < 2) continue;
      const auto volume = core::dicom::loadSeries(s);
      const Tally t = checkSeries(s.series_uid, volume);
      EXPECT_EQ(t.slices, static_cast<int>(s.slices.size()));
      EXPECT_GT(t.with_heat, 0) << s.series_uid;
      unclippedOutside += t.unclipped_outside;
      ++series;
    }
  }
  EXPECT_EQ(series, 4);
  // On real chest CT the unclipped maps do reach the chest wall and mediastinum: the clip is what keeps them in.
  EXPECT_GT(unclippedOutside, 0);
}
