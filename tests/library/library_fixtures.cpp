#include "tests/library/library_fixtures.h"

#include <unistd.h>

#include <algorithm>

#include "core/common/error.h"
#include "core/dicom/scan.h"
#include "core/inference/manifest.h"
#include "core/library/series_classifier.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
namespace lib = lunglens::core::library;

namespace lunglens::test {

PhantomStudy writeSmallPhantom(const fs::path& dir, std::uint64_t seed, ph::Diagnosis dx,
                               std::vector<ph::Finding> findings, int size, int slices) {
  ph::PhantomParams p;
  p.seed = seed;
  p.diagnosis = dx;
  p.manifestations = std::move(findings);
  p.severity = dx == ph::Diagnosis::Normal ? 0.0 : 0.3;
  p.size = size;
  p.slices = slices;
  p.threads = 2;
  const ph::Phantom phantom = ph::generatePhantom(p);
  fs::remove_all(dir);
  const ph::StudyPaths paths = ph::writePhantomStudy(phantom, dir, 2);
  PhantomStudy out;
  out.dir = dir;
  out.truth = phantom.slices;
  out.labels = phantom.labels;
  const auto catalog = core::dicom::scan(fs::absolute(paths.series_dir));
  if (catalog.series.size() != 1) throw core::InternalError("phantom fixture: expected one series");
  out.series = catalog.series.front();
  return out;
}

namespace {

// The share of finding voxels per cell of a 32 x 32 grid over the slice, scaled to a maximum of 1.
lib::GradcamSummary oracleMap(const PhantomStudy& study, int slice, const std::string& cls) {
  const int rows = study.series.rows, cols = study.series.cols, n = 32;
  lib::GradcamSummary g;
  g.class_name = cls;
  g.grid_height = g.grid_width = n;
  g.grid.assign(n * n, 0.0f);
  const std::size_t base = static_cast<std::size_t>(slice) * rows * cols;
  double area = 0;
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < cols; ++x) {
      const std::uint8_t label = study.labels[base + static_cast<std::size_t>(y) * cols + x];
      if (label < 2) continue;
      g.grid[static_cast<std::size_t>(y * n / rows) * n + x * n / cols] += 1.0f;
      area += study.series.pixel_spacing_mm[0] * study.series.pixel_spacing_mm[1];
    }
  const float top = *std::max_element(g.grid.begin(), g.grid.end());
  for (float& v : g.grid) v = top > 0 ? v / top : 0.0f;
  const auto peak = std::max_element(g.grid.begin(), g.grid.end()) - g.grid.begin();
  g.peak_row = static_cast<int>((peak / n) * rows / n + rows / (2 * n));
  g.peak_col = static_cast<int>((peak % n) * cols / n + cols / (2 * n));
  g.area_over_threshold_mm2 = area;
  return g;
}

}  // namespace

lib::StudyRecord recordFromTruth(const PhantomStudy& study, bool oracle_maps) {
  lib::StudyRecord record;
  record.study_uid = study.series.study_uid;
  record.study_date = study.series.study_date;
  record.root = study.dir.string();
  lib::SeriesRecord series = lib::seriesRecordWithoutScores(study.series);
  series.diagnosis_model = {"truth-oracle", "1", true};
  series.manifestation_model = {"truth-oracle", "1", true};
  for (lib::SliceRecord& s : series.slices) {
    const ph::SliceTruth& t = study.truth.at(static_cast<std::size_t>(s.index));
    const std::string label = ph::diagnosisName(t.label);
    // Normal slices: 0.9 normal. Diseased ones: surer the more of the lung is involved (0.55 .. 0.95), so a
    // gallery sorted by score puts the obvious slices first.
    const double p = t.label == ph::Diagnosis::Normal ? 0.9 : 0.55 + 0.4 * std::min(1.0, t.involved_fraction * 4);
    for (const std::string& c : core::inference::taskClasses(core::inference::Task::Diagnosis))
      s.diagnosis[c] = c == label ? p : (1 - p) / 2;
    if (t.label == ph::Diagnosis::Covid && t.dominant) {
      const std::string m = ph::findingName(ph::manifestationClass(*t.dominant));
      for (const std::string& c : core::inference::taskClasses(core::inference::Task::Manifestation))
        s.manifestation[c] = c == m ? 0.8 : 0.1;
    }
    if (oracle_maps && !t.findings.empty()) s.gradcam = oracleMap(study, s.index, label);
  }
  series.verdict = ph::diagnosisName(study.truth.empty() ? ph::Diagnosis::Normal : study.truth.front().label);
  record.series.push_back(std::move(series));
  return record;
}

void writeTinyBundles(const fs::path& dir) {
  TinySpec spec;
  spec.variant = TinyVariant::Brightness;
  spec.size = 32;
  spec.task = core::inference::Task::Diagnosis;
  writeTinyBundle(dir / "diagnosis", spec);
  spec.task = core::inference::Task::Manifestation;
  writeTinyBundle(dir / "manifestation", spec);
}

}  // namespace lunglens::test
