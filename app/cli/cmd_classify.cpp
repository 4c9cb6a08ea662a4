// lunglens-cli classify DIR: scores every slice of a series with the diagnosis model (and the manifestation model on
// COVID-positive slices), prints per-slice probabilities and the study verdict as JSON or CSV, and optionally writes
// one Grad-CAM PNG per slice. Progress goes to stderr.

#include <atomic>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/inference/bundle.h"
#include "core/io/png.h"
#include "core/inference/engine.h"
#include "core/inference/verdict.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace inf = core::inference;
using json = nlohmann::ordered_json;  // keeps fields in the order written (index first)

constexpr const char* kSyntheticDisclaimer = "Reading aid — not a diagnosis; model trained on synthetic phantoms";

const core::dicom::SeriesInfo& chooseSeries(const core::dicom::Catalog& catalog, const std::string& dir,
                                            const std::optional<std::string>& uid) {
  if (catalog.series.empty()) throw core::InputError(dir, "no image series found");
  if (!uid) {
    if (catalog.series.size() > 1)
      std::cerr << "classify: " << catalog.series.size() << " series found; using the first ("
                << catalog.series.front().series_uid << "); choose one with --series\n";
    return catalog.series.front();
  }
  for (const auto& s : catalog.series)
    if (s.series_uid == *uid) return s;
  throw core::InputError(dir, "no series with UID " + *uid + " (see `lunglens-cli series`)");
}

inf::ModelPtr loadDiagnosis(const std::optional<std::string>& dir) {
  return inf::Model::load(dir ? fs::path(*dir) : inf::findBundle(inf::Task::Diagnosis));
}

// Explicitly asked for: must load. Otherwise the first installed one, if any; a broken one is skipped with a note.
inf::ModelPtr loadManifestation(const std::optional<std::string>& dir) {
  if (dir) return inf::Model::load(*dir);
  for (const auto& entry : inf::listBundles(inf::modelSearchPath())) {
    if (!entry.manifest || entry.manifest->task != inf::Task::Manifestation) continue;
    try {
      return inf::Model::load(entry.dir);
    } catch (const core::InputError& e) {
      std::cerr << "classify: manifestation model skipped: " << e.what() << "\n";
    }
  }
  return nullptr;
}

json modelJson(const inf::Model& model) {
  const auto& m = model.manifest();
  return {{"name", m.name},
          {"version", m.version},
          {"task", inf::taskName(m.task)},
          {"architecture", m.architecture},
          {"bundle", model.dir().string()},
          {"provenance",
           {{"training_data", m.provenance.training_data},
            {"synthetic", m.provenance.synthetic},
            {"date", m.provenance.date},
            {"metrics", json::parse(m.provenance.metrics_json)}}}};
}

json probabilities(const std::vector<std::string>& classes, const std::vector<float>& p) {
  if (p.empty()) return nullptr;
  json out = json::object();
  for (std::size_t i = 0; i < classes.size(); ++i) out[classes[i]] = p[i];
  return out;
}

json verdictJson(const inf::StudyVerdict& v) {
  json scores = json::object();
  for (const auto& s : v.scores)
    scores[s.name] = {{"top_k_mean", s.score},
                      {"fraction_over_threshold", s.fraction_over_threshold},
                      {"slices_over_threshold", s.slices_over_threshold},
                      {"threshold", s.threshold}};
  return {{"verdict", v.verdict},
          {"slices", v.slices},
          {"top_k", v.top_k},
          {"rule", "per class: mean of the top-k slice probabilities (k = ceil(10% of slices)); verdict = the "
                   "disease class whose score passes its threshold with the highest score, else normal"},
          {"scores", scores}};
}

std::string csvNumber(const std::vector<float>& p, std::size_t i) {
  if (p.empty()) return "null";
  std::ostringstream s;
  s << std::setprecision(6) << p[i];
  return s.str();
}

int runClassify(const std::vector<std::string>& argv) {
  const Args args(argv, {"series", "model", "manifestation-model", "format", "heatmaps", "threads"}, {});
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  const std::string format = args.value("format").value_or("json");
  if (format != "json" && format != "csv") throw UsageError("--format must be json or csv, not '" + format + "'");
  const int threads = args.intValue("threads", core::defaultThreadCount());
  if (threads < 1) throw UsageError("--threads must be at least 1");
  const auto heatmap_dir = args.value("heatmaps");

  inf::configureInferenceThreads(threads);
  const inf::ModelPtr diagnosis = loadDiagnosis(args.value("model"));
  const inf::ModelPtr manifestation = loadManifestation(args.value("manifestation-model"));

  core::dicom::ScanOptions scan_options;
  scan_options.threads = threads;
  const auto catalog = core::dicom::scan(dir, scan_options);
  const auto& series = chooseSeries(catalog, dir, args.value("series"));
  if (heatmap_dir) {
    std::error_code ec;
    fs::create_directories(*heatmap_dir, ec);
    if (ec) throw core::InputError(*heatmap_dir, "cannot create the heatmap folder: " + ec.message());
  }

  inf::EngineOptions options;
  options.threads = threads;
  options.heatmap_focus = false;
  options.heatmap_all = heatmap_dir.has_value();
  inf::InferenceEngine engine(diagnosis, manifestation, options);
  std::atomic<int> scored{0};
  std::string first_error;
  std::mutex error_mutex;
  const int total = static_cast<int>(series.slices.size());
  engine.setListener([&](const inf::EngineEvent& e) {
    if (e.kind == inf::EngineEvent::Kind::Error) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (first_error.empty()) first_error = e.message;
    }
    if (e.kind != inf::EngineEvent::Kind::Diagnosis) return;
    const int n = ++scored;
    if (n == total || n % 25 == 0) std::cerr << "classify: scored " << n << "/" << total << " slices\n";
  });

  // The engine scores slices as the loader publishes them.
  const auto volume = core::dicom::allocateVolume(series);
  engine.openSeries(series.series_uid, volume, volume->slices() / 2);
  core::dicom::LoadOptions load_options;
  load_options.threads = threads;
  core::dicom::fillVolume(series, *volume, load_options);
  engine.waitUntilIdle();
  if (!first_error.empty()) throw core::InternalError("inference failed: " + first_error);

  const auto results = engine.results().all(series.series_uid);
  const auto& dclasses = diagnosis->manifest().classes;
  const std::vector<std::string> mclasses =
      manifestation ? manifestation->manifest().classes : inf::taskClasses(inf::Task::Manifestation);
  std::vector<std::vector<float>> probs;
  for (const auto& r : results) {
    if (r.diagnosis.empty()) throw core::InternalError("slice " + std::to_string(r.slice) + " was not scored");
    probs.push_back(r.diagnosis);
  }
  const inf::StudyVerdict verdict = inf::studyVerdict(probs, diagnosis->manifest());
  const bool synthetic =
      diagnosis->manifest().provenance.synthetic || (manifestation && manifestation->manifest().provenance.synthetic);
  const std::string disclaimer = synthetic ? kSyntheticDisclaimer : "Reading aid — not a diagnosis";

  if (heatmap_dir) {
    const auto& geom = volume->geometry();
    for (const auto& r : results) {
      const fs::path target = fs::path(*heatmap_dir) / ("slice_" + std::to_string(r.slice) + ".png");
      const auto grey = inf::heatmapOnSliceGrey(r.diagnosis_heatmap, geom.rows, geom.cols,
                                                diagnosis->manifest().input);
      core::io::writeGreyPng(target, geom.cols, geom.rows, grey);
    }
    std::cerr << "classify: wrote " << results.size() << " heatmaps to " << *heatmap_dir << "\n";
  }

  if (format == "json") {
    json slices = json::array();
    for (const auto& r : results) {
      const auto& ref = series.slices[static_cast<std::size_t>(r.slice)];
      slices.push_back({{"index", r.slice},
                        {"image_number", core::dicom::imageNumber(series, r.slice)},
                        {"position_mm", volume->slicePosition_mm(r.slice)},
                        {"image_position_patient", ref.position_mm},
                        {"diagnosis", probabilities(dclasses, r.diagnosis)},
                        {"manifestation", probabilities(mclasses, r.manifestation)}});
    }
    json out{{"series_uid", series.series_uid},
             {"study_uid", series.study_uid},
             {"disclaimer", disclaimer},
             {"diagnosis_model", modelJson(*diagnosis)},
             {"manifestation_model", manifestation ? modelJson(*manifestation) : json(nullptr)},
             {"study", verdictJson(verdict)},
             {"slices", slices}};
    std::cout << out.dump(2) << "\n";
  } else {
    const auto& dm = diagnosis->manifest();
    std::cout << "# " << disclaimer << "\n# series_uid: " << series.series_uid << "\n# diagnosis_model: " << dm.name
              << " " << dm.version << " (" << dm.architecture << "; " << dm.provenance.training_data
              << ", " << dm.provenance.date << ")\n";
    if (manifestation)
      std::cout << "# manifestation_model: " << manifestation->manifest().name << " "
                << manifestation->manifest().version << "\n";
    std::cout << "# study_verdict: " << verdict.verdict << " (top_k " << verdict.top_k << " of " << verdict.slices
              << " slices)";
    for (const auto& s : verdict.scores)
      std::cout << "; " << s.name << " top_k_mean " << s.score << " over_threshold " << s.fraction_over_threshold;
    std::cout << "\nindex,image_number,position_mm";
    for (const auto& c : dclasses) std::cout << "," << c;
    for (const auto& c : mclasses) std::cout << "," << c;
    std::cout << "\n";
    for (const auto& r : results) {
      std::cout << r.slice << "," << core::dicom::imageNumber(series, r.slice) << "," << std::setprecision(10) << volume->slicePosition_mm(r.slice);
      for (std::size_t i = 0; i < dclasses.size(); ++i) std::cout << "," << csvNumber(r.diagnosis, i);
      for (std::size_t i = 0; i < mclasses.size(); ++i) std::cout << "," << csvNumber(r.manifestation, i);
      std::cout << "\n";
    }
  }
  std::cerr << "classify: study verdict " << verdict.verdict << " — " << disclaimer << "\n";
  return kOk;
}

const RegisterCommand reg{
    {"classify",
     "classify DIR [--series UID] [--model DIR] [--manifestation-model DIR] [--format json|csv] [--heatmaps OUTDIR] "
     "[--threads N]",
     "Scores every slice of a series with the AI models (COVID-19 / other pneumonia / normal, and the "
     "manifestation on COVID slices), prints the probabilities and the study verdict, and optionally writes one "
     "Grad-CAM PNG per slice. A reading aid, not a diagnosis.",
     &runClassify}};

}  // namespace
}  // namespace lunglens::cli
