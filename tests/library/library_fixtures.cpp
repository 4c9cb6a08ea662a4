#include "tests/library/library_fixtures.h"

#include "core/common/error.h"
#include "core/dicom/scan.h"
#include "core/inference/manifest.h"
#include "core/library/series_classifier.h"
#include "core/phantom/study_writer.h"
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
  const auto catalog = core::dicom::scan(fs::absolute(paths.series_dir));
  if (catalog.series.size() != 1) throw core::InternalError("phantom fixture: expected one series");
  out.series = catalog.series.front();
  return out;
}

lib::StudyRecord recordFromTruth(const PhantomStudy& study) {
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
    for (const std::string& c : core::inference::taskClasses(core::inference::Task::Diagnosis))
      s.diagnosis[c] = c == label ? 0.9 : 0.05;
    if (t.label == ph::Diagnosis::Covid && t.dominant) {
      const std::string m = ph::findingName(ph::manifestationClass(*t.dominant));
      for (const std::string& c : core::inference::taskClasses(core::inference::Task::Manifestation))
        s.manifestation[c] = c == m ? 0.8 : 0.1;
    }
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
