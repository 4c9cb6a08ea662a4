// lunglens-cli classify DIR: scores every slice of a series with the diagnosis model (and the manifestation model on
// COVID-positive slices), prints per-slice probabilities and the study verdict as JSON or CSV, and optionally writes
// one Grad-CAM PNG per slice. Progress goes to stderr.

#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/disclaimer.h"
#include "core/common/csv.h"
#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/common/parallel.h"
#include "core/dicom/image_number.h"
#include "core/dicom/scan.h"
#include "core/export/heatmap_clip.h"
#include "core/export/lung_verdict.h"
#include "core/inference/bundle.h"
#include "core/inference/series_scoring.h"
#include "core/inference/verdict.h"
#include "core/io/png.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace inf = core::inference;
using json = nlohmann::ordered_json;  // keeps fields in the order written (index first)

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
          {"slices_without_lung", v.excluded},
          {"top_k", v.top_k},
          {"rule", inf::verdictRuleText()},
          {"scores", scores}};
}

const char* const kOodWithheld = inf::oodWithheldHeadline();

std::string oodText(const inf::OodSummary& ood) { return inf::oodCountsText(ood); }

json oodJson(const inf::OodSummary& ood, const inf::OodGuard* guard) {
  if (!ood.guarded) return json{{"guarded", false}, {"message", oodText(ood)}};
  return json{{"guarded", true},
              {"method", guard->method},
              {"threshold", guard->threshold},
              {"scored_slices", ood.scored},
              {"flagged_slices", ood.flagged},
              {"flagged_fraction", ood.flaggedFraction()},
              {"out_of_distribution", ood.out_of_distribution},
              {"message", oodText(ood)}};
}

std::string csvNumber(const std::vector<float>& p, std::size_t i) {
  if (p.empty()) return "null";
  return core::significant(p[i], 6);
}

int runClassify(const Args& args) {
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

  inf::SeriesScoringOptions options;
  options.threads = threads;
  options.heatmap_all = heatmap_dir.has_value();
  inf::SeriesScorer scorer(diagnosis, manifestation, options);
  const inf::SeriesScores scored = scorer.score(series, {}, [](int n, int total) {
    if (n == total || n % 25 == 0) std::cerr << "classify: scored " << n << "/" << total << " slices\n";
  });
  const auto& results = scored.slices;
  const auto& volume = scored.volume;
  // The lung mask: slices without lung do not count for the verdict, and heatmaps stay inside the lungs.
  std::string no_lung_why;
  const auto lung = core::exporting::lungAnalysisOrWhyNot(*volume, no_lung_why);
  if (!lung) std::cerr << "classify: " << no_lung_why << "; every slice counts for the verdict\n";
  const auto summary = core::exporting::summariseLungSlices(results, diagnosis->manifest(),
                                                            diagnosis->oodGuard() != nullptr, lung.get());
  const inf::StudyVerdict& verdict = summary.verdict;
  const auto& dclasses = diagnosis->manifest().classes;
  const std::vector<std::string> mclasses =
      manifestation ? manifestation->manifest().classes : inf::taskClasses(inf::Task::Manifestation);
  const inf::OodSummary& ood = summary.ood;
  const bool withheld = ood.out_of_distribution && !args.flag("show-anyway");
  const bool synthetic =
      diagnosis->manifest().provenance.synthetic || (manifestation && manifestation->manifest().provenance.synthetic);
  const std::string disclaimer = core::disclaimer(synthetic);

  if (heatmap_dir) {
    const auto& geom = volume->geometry();
    for (const auto& r : results) {
      const fs::path target = fs::path(*heatmap_dir) / ("slice_" + std::to_string(r.slice) + ".png");
      auto grey = inf::heatmapOnSliceGrey(r.diagnosis_heatmap, geom.rows, geom.cols, diagnosis->manifest().input);
      const std::int16_t* hu = volume->slice(r.slice);
      core::exporting::applyHeatmapClip(
          grey, core::exporting::heatmapClip(lung ? &lung->mask : nullptr, r.slice, hu, geom.cols, geom.rows));
      core::io::writeGreyPng(target, geom.cols, geom.rows, grey);
    }
    std::cerr << "classify: wrote " << results.size() << " heatmaps to " << *heatmap_dir << " ("
              << core::exporting::heatmapClipNote(lung != nullptr, no_lung_why) << ")\n";
  }

  if (format == "json") {
    json slices = json::array();
    for (const auto& r : results) {
      const auto& ref = series.slices[static_cast<std::size_t>(r.slice)];
      slices.push_back({{"index", r.slice},
                        {"image_number", core::dicom::imageNumber(series, r.slice)},
                        {"position_mm", volume->slicePosition_mm(r.slice)},
                        {"image_position_patient", ref.position_mm},
                        {"lung", lung ? json(lung->mask.sliceHasLung(r.slice)) : json(nullptr)},
                        {"diagnosis", probabilities(dclasses, r.diagnosis)},
                        {"manifestation", probabilities(mclasses, r.manifestation)},
                        {"ood_score", r.ood ? json(r.ood->score) : json(nullptr)},
                        {"out_of_distribution", r.ood ? json(r.ood->out_of_distribution) : json(nullptr)}});
    }
    json out{{"series_uid", series.series_uid},
             {"study_uid", series.study_uid},
             {"disclaimer", disclaimer},
             {"diagnosis_model", modelJson(*diagnosis)},
             {"manifestation_model", manifestation ? modelJson(*manifestation) : json(nullptr)},
             {"ood", oodJson(ood, diagnosis->oodGuard())},
             {"study", withheld ? json{{"withheld", true}, {"reason", kOodWithheld}} : verdictJson(verdict)},
             {"slices", slices}};
    std::cout << out.dump(2) << "\n";
  } else {
    const auto& dm = diagnosis->manifest();
    // Text from files (UIDs, the manifests' names) is kept on its comment line: a line break in it must not
    // start a data row.
    const auto text = [](const std::string& s) { return core::csvCommentText(s); };
    std::cout << "# " << disclaimer << "\n# series_uid: " << text(series.series_uid) << "\n# diagnosis_model: "
              << text(dm.name) << " " << text(dm.version) << " (" << text(dm.architecture) << "; "
              << text(dm.provenance.training_data) << ", " << text(dm.provenance.date) << ")\n";
    if (manifestation)
      std::cout << "# manifestation_model: " << text(manifestation->manifest().name) << " "
                << text(manifestation->manifest().version) << "\n";
    std::cout << "# ood: " << oodText(ood) << "\n";
    if (withheld) {
      std::cout << "# study_verdict: withheld (" << kOodWithheld << ")";
    } else {
      std::cout << "# study_verdict: " << verdict.verdict << " (top_k " << verdict.top_k << " of " << verdict.slices
                << " slices)";
      for (const auto& s : verdict.scores)
        std::cout << "; " << s.name << " top_k_mean " << s.score << " over_threshold " << s.fraction_over_threshold;
    }
    std::cout << "\nindex,image_number,position_mm";
    for (const auto& c : dclasses) std::cout << "," << c;
    for (const auto& c : mclasses) std::cout << "," << c;
    std::cout << ",ood_score,out_of_distribution\n";
    for (const auto& r : results) {
      std::cout << r.slice << "," << core::dicom::imageNumber(series, r.slice) << ","
                << core::significant(volume->slicePosition_mm(r.slice), 10);
      for (std::size_t i = 0; i < dclasses.size(); ++i) std::cout << "," << csvNumber(r.diagnosis, i);
      for (std::size_t i = 0; i < mclasses.size(); ++i) std::cout << "," << csvNumber(r.manifestation, i);
      if (r.ood)
        std::cout << "," << r.ood->score << "," << (r.ood->out_of_distribution ? 1 : 0) << "\n";
      else
        std::cout << ",,\n";
    }
  }
  if (withheld)
    std::cerr << "classify: " << kOodWithheld << " (" << oodText(ood) << "; --show-anyway shows the verdict)\n";
  else
    std::cerr << "classify: study verdict " << verdict.verdict << " — " << disclaimer << "\n";
  return kOk;
}

const RegisterCommand reg{
    {"classify", "DIR",
     "Scores every slice of a series with the AI models (COVID-19 / other pneumonia / normal, and the manifestation "
     "on COVID slices), prints the probabilities and the study verdict, and optionally writes one Grad-CAM PNG per "
     "slice. When most slices are unlike the model's training data (its OOD guard), the study verdict is withheld "
     "unless --show-anyway. " + std::string(core::kDisclaimer) + ".",
     {{"series", "UID", "the series to score (default: the only one, else the first)"},
      {"model", "DIR", "the diagnosis model bundle (default: the installed one)"},
      {"manifestation-model", "DIR", "the manifestation model bundle (default: the installed one, if any)"},
      {"format", "json|csv", "the output format (default json)"},
      {"heatmaps", "OUTDIR", "writes one Grad-CAM PNG per slice (slice_<i>.png) into OUTDIR"},
      {"threads", "N", "worker threads (default: all cores)"},
      {"show-anyway", "", "print the study verdict even when the series is unlike the model's training data"}},
     &runClassify}};

}  // namespace
}  // namespace lunglens::cli
