#include "core/phantom/phantom_set.h"

#include <cmath>
#include <cstdio>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/common/parallel.h"
#include "core/common/paths.h"
#include "core/phantom/dicom_writer.h"
#include "core/phantom/generator.h"
#include "core/phantom/random.h"
#include "core/phantom/study_writer.h"

namespace fs = std::filesystem;

namespace lunglens::core::phantom {

namespace {

std::string csvRows(const Phantom& ph, const std::string& id) {
  std::ostringstream s;
  const std::string series = id + "/" + kSeriesFolder;
  const auto& spacing = ph.layout.geometry.spacing_mm;
  const double pixel_mm2 = spacing[0] * spacing[1];
  for (const SliceTruth& t : ph.slices) {
    std::string m;
    for (Finding f : t.findings) m += (m.empty() ? "" : ";") + findingName(f);
    const double ggo = t.fraction(Finding::Ggo) + t.fraction(Finding::CrazyPaving);
    s << id << ',' << series << ',' << t.index << ',' << series << '/' << sliceFileName(t.index) << ','
      << fixed(t.z_mm, 6) << ',' << diagnosisName(ph.params.diagnosis) << ',' << diagnosisName(t.label) << ',' << m
      << ',' << (t.dominant ? findingName(*t.dominant) : std::string()) << ',' << fixed(t.involved_fraction, 6) << ','
      << fixed(ggo, 6) << ',' << fixed(t.fraction(Finding::Consolidation), 6) << ','
      << fixed(t.fraction(Finding::FibroticStreaks), 6) << ','
      << fixed(static_cast<double>(std::llround(t.involved_fraction * t.lung_voxels)) * pixel_mm2, 6) << '\n';
  }
  return s.str();
}

}  // namespace

std::string phantomSetSubjectId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "subject_%04d", i + 1);
  return buf;
}

PhantomParams phantomSetSubject(const PhantomSetOptions& o, int i) {
  PhantomParams p;
  p.seed = mix64(o.seed * 0x100000001b3ull + static_cast<std::uint64_t>(i)) & 0xffffffffffffull;
  p.slices = o.slices;
  p.size = o.size;
  p.thickness_mm = o.thickness_mm;
  p.kernel = o.kernel;
  p.threads = 1;
  Rng rng = Rng(p.seed).fork("set");
  switch (i % 3) {
    case 0: {
      p.diagnosis = Diagnosis::Covid;
      p.severity = rng.uniform(0.08, 0.5);
      // Mixes chosen so each manifestation class is the dominant one on a fair share of COVID slices (GGO
      // dominates wherever it is present): GGO-led, consolidation-led and fibrotic (organising-phase) subjects.
      const double u = rng.uniform();
      if (u < 0.35) p.manifestations = {Finding::Ggo, Finding::Consolidation, Finding::FibroticStreaks};
      else if (u < 0.5) p.manifestations = {Finding::Ggo};
      else if (u < 0.55) p.manifestations = {Finding::Ggo, Finding::CrazyPaving};
      else if (u < 0.75) p.manifestations = {Finding::Consolidation, Finding::FibroticStreaks};
      else if (u < 0.95) p.manifestations = {Finding::FibroticStreaks};
      else p.manifestations = {Finding::Ggo, Finding::FibroticStreaks};
      break;
    }
    case 1:
      p.diagnosis = Diagnosis::OtherPneumonia;
      p.severity = rng.uniform(0.05, 0.35);
      break;  // pattern drawn from the seed (lobar, bronchopneumonia, tuberculosis)
    default:
      p.diagnosis = Diagnosis::Normal;
      p.severity = 0.0;
      if (rng.chance(0.25)) p.manifestations = {Finding::Nodule};
      break;
  }
  return p;
}

fs::path writePhantomSet(const fs::path& out, const PhantomSetOptions& o) {
  if (o.subjects < 1 || o.subjects > 100000) throw InputError("--subjects", "must lie in 1..100000");
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw InputError(out.string(), "cannot create the dataset folder: " + ec.message());
  std::vector<std::string> rows(static_cast<std::size_t>(o.subjects));
  std::vector<std::string> summary(static_cast<std::size_t>(o.subjects));
  std::mutex progress_mutex;
  int done = 0;
  // Subjects in parallel, each single-threaded: small volumes parallelise better this way.
  parallelFor(
      0, o.subjects, o.threads > 0 ? o.threads : defaultThreadCount(),
      [&](int i) {
        const PhantomParams p = phantomSetSubject(o, i);
        const Phantom ph = o.make_subject ? o.make_subject(i, p) : generatePhantom(p, o.cancel);
        const std::string id = phantomSetSubjectId(i);
        const fs::path dir = out / id;
        std::error_code ec;
        fs::remove_all(dir, ec);
        if (ec) throw InputError(dir.string(), "cannot replace the subject folder: " + ec.message());
        writePhantomStudy(ph, dir, 1);
        rows[static_cast<std::size_t>(i)] = csvRows(ph, id);
        nlohmann::json sj = {{"subject_id", id},
                             {"series_path", id + "/" + kSeriesFolder},
                             {"study_label", diagnosisName(ph.params.diagnosis)},
                             {"seed", ph.params.seed},
                             {"severity", ph.params.severity}};
        if (!ph.params.background.empty()) sj["background"] = ph.params.background;  // a hybrid subject
        summary[static_cast<std::size_t>(i)] = sj.dump();
        if (o.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          o.progress(++done, o.subjects);
        }
      },
      o.cancel);
  std::string csv = std::string(kLabelsCsvHeader) + "\n";
  for (const auto& r : rows) csv += r;
  const fs::path csv_path = out / "labels.csv";
  writeFileAtomically(csv_path, csv, true);
  std::string js = "{\"generator_version\": " + std::to_string(kGeneratorVersion) +
                   ", \"seed\": " + std::to_string(o.seed) + ", \"subjects\": [\n";
  for (std::size_t i = 0; i < summary.size(); ++i) js += "  " + summary[i] + (i + 1 < summary.size() ? ",\n" : "\n");
  js += "]}\n";
  writeFileAtomically(out / "dataset.json", js, true);
  return csv_path;
}

}  // namespace lunglens::core::phantom
