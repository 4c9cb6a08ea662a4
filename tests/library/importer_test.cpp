// Importing phantom studies for real: scanning a folder of several studies, classifying every slice with a tiny
// model, Grad-CAM summaries on the slices the model does not call normal, progress, cancel, re-import.
#include <gtest/gtest.h>

#include <QSqlQuery>

#include <cmath>

#include "core/common/error.h"
#include "core/inference/model.h"
#include "core/inference/slice_class.h"
#include "core/library/gradcam_summary.h"
#include "core/library/importer.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
namespace inf = lunglens::core::inference;
using namespace lunglens::core::library;

namespace {

class ImporterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(lunglens::test::suiteScratchDir("importer-studies"));
    lunglens::test::writeSmallPhantom(*root_ / "a", 21, ph::Diagnosis::Covid, {ph::Finding::Ggo});
    lunglens::test::writeSmallPhantom(*root_ / "b", 22, ph::Diagnosis::Normal);
    lunglens::test::writeSmallPhantom(*root_ / "nested" / "c", 23, ph::Diagnosis::OtherPneumonia);
    const fs::path bundles = lunglens::test::suiteScratchDir("importer-bundles");
    lunglens::test::writeTinyBundles(bundles);
    inf::configureInferenceThreads(1);
    diagnosis_ = new inf::ModelPtr(inf::Model::load(bundles / "diagnosis"));
    manifestation_ = new inf::ModelPtr(inf::Model::load(bundles / "manifestation"));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
    delete diagnosis_;
    delete manifestation_;
  }
  static fs::path* root_;
  static inf::ModelPtr* diagnosis_;
  static inf::ModelPtr* manifestation_;
};

fs::path* ImporterTest::root_ = nullptr;
inf::ModelPtr* ImporterTest::diagnosis_ = nullptr;
inf::ModelPtr* ImporterTest::manifestation_ = nullptr;

}  // namespace

TEST_F(ImporterTest, ImportsEveryStudyOfAFolderTreeWithAiResultsOnEverySlice) {
  CaseLibrary library(lunglens::test::scratchDir("importer-db") / "library.sqlite");
  SeriesClassifier classifier(*diagnosis_, *manifestation_, 2);
  std::vector<ImportEvent> events;
  ImportOptions options;
  options.threads = 2;
  options.on_event = [&](const ImportEvent& e) {
    if (e.kind != ImportEvent::Kind::SeriesProgress) events.push_back(e);
  };
  const ImportSummary summary = importFolders(library, classifier, {*root_}, options);
  EXPECT_EQ(summary.imported, 3);
  EXPECT_EQ(summary.failed, 0);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind, ImportEvent::Kind::Scanned);
  EXPECT_EQ(events[0].studies_total, 3);
  for (int i = 1; i <= 3; ++i) {
    EXPECT_EQ(events[i].kind, ImportEvent::Kind::StudyImported);
    EXPECT_EQ(events[i].studies_done, i);
    EXPECT_EQ(events[i].study_label, summary.labels[static_cast<std::size_t>(i - 1)]);
  }
  const auto studies = library.studies();
  ASSERT_EQ(studies.size(), 3u);
  for (const auto& s : studies) {
    EXPECT_EQ(s.slice_count, 12);
    EXPECT_TRUE(fs::exists(s.root)) << s.root;
  }
  // Every slice scored by the tiny model, recorded with its name and version.
  const auto rows = library.query({});
  ASSERT_EQ(rows.size(), 36u);
  int gated = 0, explained = 0;
  for (const auto& r : rows) {
    ASSERT_EQ(r.diagnosis.size(), 3u);
    double sum = 0;
    for (const auto& [name, p] : r.diagnosis) sum += p;
    EXPECT_NEAR(sum, 1.0, 1e-5);
    EXPECT_EQ(r.ai_diagnosis, inf::topClass(r.diagnosis));
    // The manifestation model ran exactly where COVID passed the 0.5 gate.
    EXPECT_EQ(!r.manifestation.empty(), r.diagnosis.at("covid") >= 0.5) << r.study_label << " " << r.slice;
    gated += r.manifestation.empty() ? 0 : 1;
    // Grad-CAM kept for what the model does not call normal.
    EXPECT_EQ(r.gradcam.has_value(), r.ai_diagnosis != "normal");
    if (r.gradcam) {
      ++explained;
      EXPECT_EQ(r.gradcam->grid.size(), static_cast<std::size_t>(kStoredGridSize * kStoredGridSize));
      EXPECT_GE(r.gradcam->peak_row, 0);
      EXPECT_LT(r.gradcam->peak_row, 128);
      EXPECT_LE(r.gradcam->area_over_threshold_mm2, 128 * 128 * 4.0);
    }
  }
  EXPECT_EQ(library.connection()
                .scalar("SELECT COUNT(DISTINCT diagnosis_model || ' ' || diagnosis_model_version) FROM ai_results")
                .toString()
                .toStdString(),
            "1");
  EXPECT_EQ(library.connection().scalar("SELECT diagnosis_model FROM ai_results LIMIT 1").toString().toStdString(),
            "tiny-diagnosis");
  RecordProperty("gated_slices", gated);
  RecordProperty("explained_slices", explained);

  // Re-importing the same folder updates: no new study, series or slice rows, same labels.
  const int slice_rows = library.connection().scalar("SELECT COUNT(*) FROM slices").toInt();
  const auto again = importFolders(library, classifier, {*root_ / "nested", *root_}, options);
  EXPECT_EQ(again.imported, 3);  // the study under nested/ is found twice but imported once
  EXPECT_EQ(library.studies().size(), 3u);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM series").toInt(), 3);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM slices").toInt(), slice_rows);
  std::vector<std::string> sorted_first = summary.labels, sorted_again = again.labels;
  std::sort(sorted_first.begin(), sorted_first.end());
  std::sort(sorted_again.begin(), sorted_again.end());
  EXPECT_EQ(sorted_first, sorted_again);
  EXPECT_EQ(library.connection().scalar("PRAGMA integrity_check").toString().toStdString(), "ok");
}

TEST_F(ImporterTest, CancellingKeepsTheStudiesAlreadyCommittedAndNoPartOfTheNext) {
  CaseLibrary library(lunglens::test::scratchDir("importer-cancel") / "library.sqlite");
  SeriesClassifier classifier(*diagnosis_, *manifestation_, 2);
  ImportOptions options;
  options.threads = 2;
  // Cancel while the second study is being scored.
  options.on_event = [&](const ImportEvent& e) {
    if (e.kind == ImportEvent::Kind::SeriesProgress && e.studies_done == 1 && e.slices_done == 3) options.cancel.cancel();
  };
  EXPECT_THROW(importFolders(library, classifier, {*root_}, options), lunglens::core::Cancelled);
  const auto studies = library.studies();
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].slice_count, 12);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM slices").toInt(), 12);
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM ai_results").toInt(), 12);
}

TEST_F(ImporterTest, WithoutAModelStudiesAreRecordedWithoutScores) {
  CaseLibrary library(lunglens::test::scratchDir("importer-noai") / "library.sqlite");
  SeriesClassifier classifier(nullptr, nullptr, 1);
  const auto summary = importFolders(library, classifier, {*root_ / "a"});
  EXPECT_EQ(summary.imported, 1);
  const auto rows = library.query({});
  ASSERT_EQ(rows.size(), 12u);
  for (const auto& r : rows) {
    EXPECT_TRUE(r.diagnosis.empty());
    EXPECT_FALSE(r.score.has_value());
  }
  EXPECT_THROW(importFolders(library, classifier, {*root_ / "does-not-exist"}), lunglens::core::InputError);
}

namespace {

// A 2 x 2 Grad-CAM map of "covid" and a 32 x 32 single-window model input (no letterbox on a square slice).
inf::Heatmap twoByTwoMap(std::vector<float> values) {
  inf::Heatmap map;
  map.height = map.width = 2;
  map.values = std::move(values);
  map.class_name = "covid";
  return map;
}

inf::InputSpec input32() {
  inf::InputSpec input;
  input.height = input.width = 32;
  input.channels = {{2000, 0, ""}};
  input.mean = {0};
  input.std = {1};
  return input;
}

}  // namespace

TEST(GradcamSummary, PeakAndAreaOnTheSliceGrid) {
  // A 2 x 2 map, hot in its top-right cell, over a 64 x 64 slice fed to the model as 32 x 32 (no letterbox).
  const inf::Heatmap map = twoByTwoMap({0.0f, 1.0f, 0.0f, 0.0f});
  const inf::InputSpec input = input32();
  lunglens::core::volume::Geometry g;
  g.cols = g.rows = 64;
  g.slices = 1;
  g.spacing_mm = {0.5, 0.5, 1.0};
  g.origin_mm = {-16, -16, 100};
  const GradcamSummary s = summariseGradcam(map, input, g, 0);
  EXPECT_EQ(s.class_name, "covid");
  EXPECT_LT(s.peak_row, 32);   // top half
  EXPECT_GE(s.peak_col, 32);   // right half
  EXPECT_DOUBLE_EQ(s.peak_x_mm, -16 + 0.5 * s.peak_col);
  EXPECT_DOUBLE_EQ(s.peak_z_mm, 100);
  const auto native = inf::heatmapOnSlice(map, 64, 64, input);
  const auto over = std::count_if(native.begin(), native.end(), [](float v) { return v >= 0.5f; });
  EXPECT_GT(over, 0);
  EXPECT_DOUBLE_EQ(s.area_over_threshold_mm2, over * 0.25);
  ASSERT_EQ(s.grid.size(), static_cast<std::size_t>(kStoredGridSize * kStoredGridSize));
  EXPECT_GT(s.grid[kStoredGridSize - 1], 0.5f);                              // top-right cell hot
  EXPECT_LT(s.grid[(kStoredGridSize - 1) * kStoredGridSize], 0.1f);          // bottom-left cell cold
  EXPECT_THROW(summariseGradcam(inf::Heatmap{}, input, g, 0), lunglens::core::InputError);
}

// Issue 12: a lung clip keeps the map inside it, is stored beside it, and expands back to a clip that lies inside
// the original (it may give up a cell of margin, never add one). No heat left inside the clip: no summary.
TEST(GradcamSummary, AClipKeepsTheMapInsideAndIsStoredConservatively) {
  const inf::Heatmap map = twoByTwoMap({0.0f, 1.0f, 0.6f, 0.0f});  // hot top-right, warm bottom-left
  const inf::InputSpec input = input32();
  lunglens::core::volume::Geometry g;
  g.cols = 300;  // more than kStoredClipSize, and not a multiple of it
  g.rows = 200;
  g.slices = 1;
  g.spacing_mm = {1.0, 1.0, 1.0};
  // The clip: a disc in the bottom-left quarter (the top-right hot spot lies outside it).
  lunglens::core::exporting::HeatmapClip clip;
  clip.lung = true;
  clip.allowed.assign(300u * 200u, 0);
  for (int y = 0; y < 200; ++y)
    for (int x = 0; x < 300; ++x)
      if ((x - 75) * (x - 75) + (y - 150) * (y - 150) < 40 * 40) clip.allowed[static_cast<std::size_t>(y) * 300 + x] = 1;
  const auto s = summariseGradcamWithin(map, input, g, 0, &clip);
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(clip.allowed[static_cast<std::size_t>(s->peak_row) * 300 + s->peak_col]) << "the peak is outside the clip";
  EXPECT_GE(s->peak_row, 100);
  EXPECT_LT(s->peak_col, 150);
  EXPECT_LT(s->grid[kStoredGridSize - 1], 0.01f) << "the top-right heat survived the clip";
  ASSERT_EQ(s->clip_height, std::min(kStoredClipSize, 200));
  ASSERT_EQ(s->clip_width, kStoredClipSize);
  const auto back = storedHeatmapClip(*s, 300, 200);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->lung);
  std::size_t kept = 0, original = 0;
  for (std::size_t i = 0; i < clip.allowed.size(); ++i) {
    original += clip.allowed[i];
    kept += back->allowed[i];
    ASSERT_FALSE(back->allowed[i] && !clip.allowed[i]) << "pixel " << i << " drawn outside the clip";
  }
  EXPECT_GT(kept, original * 8 / 10) << "the stored clip lost most of the lung";

  // Nothing inside: no summary. Without a clip: no stored clip, and nothing to expand.
  lunglens::core::exporting::HeatmapClip none;
  none.lung = true;
  none.allowed.assign(300u * 200u, 0);
  EXPECT_FALSE(summariseGradcamWithin(map, input, g, 0, &none).has_value());
  const GradcamSummary plain = summariseGradcam(map, input, g, 0);
  EXPECT_TRUE(plain.clip.empty());
  EXPECT_FALSE(storedHeatmapClip(plain, 300, 200).has_value());
}
