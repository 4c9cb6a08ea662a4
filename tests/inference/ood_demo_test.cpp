// The shipped demo diagnosis model's OOD guard (models/lunglens-demo-diagnosis/ood_guard.json, fitted by
// `lunglens-cli ood-fit` on the phantom set the model was trained on): it must flag the real chest CT series it
// never saw as unlike its training data, and pass held-out stylised phantoms (issue 13's acceptance for the guard).
// Real data: TCIA Lung-PET-CT-Dx (CC BY 4.0, doi:10.7937/TCIA.2020.NNC2-0461).
#include <gtest/gtest.h>

#include <optional>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/inference/bundle.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "core/phantom/generator.h"
#include "core/phantom/phantom_set.h"
#include "tests/common/test_paths.h"

namespace lunglens {
namespace {

namespace fs = std::filesystem;
namespace inf = core::inference;

std::optional<fs::path> demoDiagnosis() {
  for (const auto& entry : inf::listBundles({test::binaryDir() / "bin" / "models"}))
    if (entry.manifest && entry.manifest->task == inf::Task::Diagnosis &&
        entry.manifest->name == "lunglens-demo-diagnosis")
      return entry.dir;
  return std::nullopt;
}

struct Flags {
  int scored = 0, flagged = 0;
  double fraction() const { return scored ? static_cast<double>(flagged) / scored : 0.0; }
};

// Every slice of a volume through the inference path; `use(z)` picks the slices that count.
template <typename Use>
Flags flagsOf(const inf::Model& model, const core::volume::Volume& volume, Use use) {
  const auto& g = volume.geometry();
  const inf::OodGuard& guard = *model.oodGuard();
  std::vector<float> input(model.valuesPerImage()), features;
  Flags f;
  for (int z = 0; z < volume.slices(); ++z) {
    if (!use(z)) continue;
    inf::preprocessSlice(volume.slice(z), g.rows, g.cols, model.manifest().input, input.data());
    model.predict(input.data(), 1, &features);
    ++f.scored;
    f.flagged += guard.outOfDistribution(guard.score(features.data())) ? 1 : 0;
  }
  return f;
}

class DemoModelGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = demoDiagnosis();
    if (!dir) GTEST_SKIP() << "the demo diagnosis bundle is not installed (build/bin/models)";
    inf::configureInferenceThreads(2);
    model_ = inf::Model::load(*dir);
    ASSERT_NE(model_->oodGuard(), nullptr) << "the demo diagnosis bundle has no ood_guard.json";
  }
  std::shared_ptr<inf::Model> model_;
};

TEST_F(DemoModelGuard, FlagsTheRealChestCtSeries) {
  const auto catalog = core::dicom::scan(test::lungPetCtDx());
  ASSERT_EQ(catalog.series.size(), 4u);
  for (const auto& series : catalog.series) {
    const auto volume = core::dicom::loadSeries(series);
    const Flags f = flagsOf(*model_, *volume, [](int) { return true; });
    std::cout << series.series_description << ": " << f.flagged << " of " << f.scored << " slices flagged\n";
    EXPECT_GE(f.fraction(), 0.95) << series.series_uid << " (" << series.series_description << ")";
    EXPECT_TRUE(inf::summarizeOod(true, std::vector<bool>(f.flagged, true)).out_of_distribution);
  }
}

TEST_F(DemoModelGuard, PassesHeldOutStylisedPhantoms) {
  // Subjects of a phantom set with a seed no training run used (the demo set is 2026), as the training set was made.
  core::phantom::PhantomSetOptions options;
  options.seed = 4242;
  options.slices = 28;
  options.size = 256;
  Flags all;
  for (int i = 0; i < 6; ++i) {
    core::phantom::PhantomParams p = core::phantom::phantomSetSubject(options, i);
    p.threads = 2;
    const auto phantom = core::phantom::generatePhantom(p);
    const Flags f = flagsOf(*model_, *phantom.volume, [](int) { return true; });
    all.scored += f.scored;
    all.flagged += f.flagged;
  }
  std::cout << "held-out phantoms: " << all.flagged << " of " << all.scored << " slices flagged\n";
  EXPECT_LE(all.fraction(), 0.05);
}

}  // namespace
}  // namespace lunglens
