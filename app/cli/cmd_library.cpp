// lunglens-cli library: the case library (an SQLite file, default in the user's data folder). import scans folders
// and classifies every series, committing each study on its own and printing "imported <label> <study UID>" on
// stdout as it lands; query lists matching slices; export-teaching-set writes anonymized annotated PNGs and an
// index; list / check / relink / label / tag look after the cases.
#include <climits>
#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/disclaimer.h"
#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/common/parallel.h"
#include "core/common/paths.h"
#include "core/inference/bundle.h"
#include "core/inference/model.h"
#include "core/library/case_library.h"
#include "core/library/gradcam_summary.h"
#include "core/library/importer.h"
#include "core/library/slice_source.h"
#include "core/library/teaching_set.h"
#include "core/common/strict_number.h"
#include "ui/paint/export_composer.h"
#include "ui/paint/image_file.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace lib = core::library;
namespace inf = core::inference;
using json = nlohmann::ordered_json;

inf::ModelPtr diagnosisModel(const Args& args) {
  if (args.flag("no-ai")) return nullptr;
  const auto dir = args.value("model");
  if (dir) return inf::Model::load(*dir);
  try {
    return inf::Model::load(inf::findBundle(inf::Task::Diagnosis));
  } catch (const core::InputError& e) {
    std::string message = e.what();  // "<context>: <message>"
    if (message.rfind(e.context() + ": ", 0) == 0) message.erase(0, e.context().size() + 2);
    throw core::InputError(e.context(), message + "; or import without AI results: --no-ai");
  }
}

inf::ModelPtr manifestationModel(const Args& args) {
  if (args.flag("no-ai")) return nullptr;
  if (const auto dir = args.value("manifestation-model")) return inf::Model::load(*dir);
  for (const auto& entry : inf::listBundles(inf::modelSearchPath()))
    if (entry.manifest && entry.manifest->task == inf::Task::Manifestation) return inf::Model::load(entry.dir);
  return nullptr;
}

int runImport(lib::CaseLibrary& library, const Args& args, const std::vector<fs::path>& roots) {
  if (roots.empty()) throw UsageError("import needs at least one folder");
  const int threads = args.intValue("threads", core::defaultThreadCount());
  if (threads < 1) throw UsageError("--threads must be at least 1");
  inf::configureInferenceThreads(threads);
  lib::SeriesClassifier classifier(diagnosisModel(args), manifestationModel(args), threads);
  if (!classifier.scores()) std::cerr << "library: importing without AI results (--no-ai)\n";
  lib::ImportOptions options;
  options.threads = threads;
  if (const auto shard = args.value("shard")) {
    // "I/N", 1-based: worker I of N (docs/SCALING.md). Implies skipping what the library already holds.
    const auto slash = shard->find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument("no slash");
      size_t used_i = 0, used_n = 0;
      const int i = std::stoi(shard->substr(0, slash), &used_i);
      const int n = std::stoi(shard->substr(slash + 1), &used_n);
      if (used_i != slash || used_n != shard->size() - slash - 1 || n < 1 || i < 1 || i > n)
        throw std::invalid_argument("range");
      options.shard_index = i - 1;
      options.shard_count = n;
    } catch (const std::exception&) {
      throw UsageError("--shard must be I/N with 1 <= I <= N, not '" + *shard + "'");
    }
    options.skip_imported = true;
  }
  if (args.flag("skip-imported")) options.skip_imported = true;
  options.on_event = [](const lib::ImportEvent& e) {
    using K = lib::ImportEvent::Kind;
    if (e.kind == K::Scanned) std::cerr << "library: " << e.studies_total << " studies found\n";
    if (e.kind == K::StudyImported)  // only once committed: a reader of stdout may rely on it being complete
      std::cout << "imported " << e.study_label << " " << e.study_uid << std::endl;
    if (e.kind == K::StudyFailed) std::cerr << "library: study " << e.study_uid << " not imported: " << e.message << "\n";
    if (e.kind == K::SeriesProgress && (e.slices_done == e.slices_total || e.slices_done % 50 == 0))
      std::cerr << "library: study " << e.studies_done + 1 << "/" << e.studies_total << ": scored " << e.slices_done
                << "/" << e.slices_total << " slices\n";
  };
  const lib::ImportSummary summary = lib::importFolders(library, classifier, roots, options);
  if (options.shard_count > 1 || options.skip_imported)
    std::cerr << "library: shard " << options.shard_index + 1 << "/" << options.shard_count << ": "
              << summary.other_shards << " studies left to the other shards, " << summary.already_imported
              << " already imported\n";
  std::cerr << "library: " << summary.imported << " studies imported, " << summary.failed << " failed, "
            << summary.skipped_files.size() << " files skipped, into " << library.file().string() << "\n";
  return summary.failed > 0 ? kBadInput : kOk;
}

lib::QueryFilter filterFrom(const Args& args) {
  lib::QueryFilter f;
  f.diagnosis = args.value("diagnosis").value_or("");
  f.manifestation = args.value("manifestation").value_or("");
  f.tag = args.value("tag").value_or("");
  if (args.value("min-score")) f.min_score = args.doubleValue("min-score", 0);
  if (args.value("max-score")) f.max_score = args.doubleValue("max-score", 1);
  f.limit = args.intValue("limit", 0);
  f.include_out_of_distribution = !args.flag("in-distribution-only");
  const std::string source = args.value("source").value_or("either");
  if (source == "ai") f.source = lib::QueryFilter::Source::Ai;
  else if (source == "teacher") f.source = lib::QueryFilter::Source::Teacher;
  else if (source != "either") throw UsageError("--source must be ai, teacher or either");
  return f;
}

std::string scoreText(const std::optional<double>& s) {
  if (!s) return "-";
  return core::fixed(*s, 3);
}

int runQuery(lib::CaseLibrary& library, const Args& args) {
  const auto rows = library.query(filterFrom(args));
  if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) out.push_back(lib::queryRowJson(r));
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  std::cout << "study\tseries_uid\tslice\tscore\tai_diagnosis\tai_manifestation\tteacher\ttags\n";
  for (const auto& r : rows) {
    std::string teacher = r.teacher ? r.teacher->diagnosis : "";
    if (r.teacher)
      for (const auto& m : r.teacher->manifestations) teacher += "/" + m;
    std::string tags;
    for (const auto& t : r.tags) tags += (tags.empty() ? "" : ",") + t;
    std::cout << r.study_label << "\t" << r.series_uid << "\t" << r.slice << "\t" << scoreText(r.score) << "\t"
              << r.ai_diagnosis << "\t" << r.ai_manifestation << "\t" << teacher << "\t" << tags
              << (r.missing ? "\tMISSING" : "") << (r.out_of_distribution ? "\tUNLIKE_TRAINING_DATA" : "") << "\n";
  }
  std::cerr << "library: " << rows.size() << " slices\n";
  return kOk;
}

ui::paint::ScoresBox scoresBox(const lib::QueryRow& r) {
  ui::paint::ScoresBox box;
  if (ui::paint::applyOodState(box, r.out_of_distribution, r.out_of_distribution)) {  // the library keeps no "anyway"
    for (const auto& [name, p] : r.diagnosis) box.classes.push_back({core::exporting::displayClassName(name), p});
    for (const auto& [name, p] : r.manifestation)
      box.manifestations.push_back({core::exporting::displayClassName(name), p});
  }
  if (r.teacher) box.verdict = "Teacher: " + core::exporting::displayClassName(r.teacher->diagnosis);
  box.model_name = r.model.name;
  box.model_version = r.model.version;
  box.trained_on_synthetic = r.model.synthetic;
  return box;
}

int runExportTeachingSet(lib::CaseLibrary& library, const Args& args) {
  const fs::path out = args.require("out");
  const lib::QueryFilter filter = filterFrom(args);
  const auto rows = library.query(filter);
  if (rows.empty()) throw core::InputError(library.file().string(), "no slice matches the filter");
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw core::InputError(out.string(), "cannot create the folder: " + ec.message());
  ensureOffscreenGui();
  std::vector<lib::QueryRow> written;
  std::vector<std::string> images;
  for (const auto& r : rows) {
    lib::SliceImage slice;
    try {
      slice = lib::loadSliceImage(r);
    } catch (const core::InputError& e) {
      std::cerr << "library: skipped: " << e.what() << "\n";
      continue;
    }
    ui::paint::ExportView view;
    view.hu = slice.hu.data();
    view.geometry = slice.geometry;
    view.slice = r.slice;
    view.slice_count = r.slice_count;
    view.slice_position_mm = r.position_mm;
    view.window = core::volume::lungWindow();
    view.series = slice.header;  // its identifying fields and descriptions are not drawn: include_phi stays false
    view.include_phi = false;
    if (!r.diagnosis.empty()) view.scores = scoresBox(r);
    if (args.flag("heatmap") && r.gradcam && !r.gradcam->grid.empty()) {
      view.heatmap = core::inference::HeatmapGrid{r.gradcam->grid_width, r.gradcam->grid_height, r.gradcam->grid};
      view.heatmap_label = "Grad-CAM: " + core::exporting::displayClassName(r.gradcam->class_name);
      view.heatmap_clip = lib::storedHeatmapClip(*r.gradcam, slice.geometry.cols, slice.geometry.rows);
    }
    const std::string name = lib::teachingImageName(static_cast<int>(written.size()) + 1, r);
    // Small series are scaled up so the text around the slice stays readable.
    ui::paint::ExportSize size;
    size.scale = std::max(1.0, 512.0 / std::max(1, std::max(slice.geometry.cols, slice.geometry.rows)));
    ui::paint::writeImageFile(ui::paint::composeExportImage(view, size), out / name, true);
    written.push_back(r);
    images.push_back(name);
  }
  bool synthetic = false;
  for (const auto& r : written) synthetic = synthetic || r.model.synthetic;
  const auto index = lib::teachingIndex(written, images, filter, core::disclaimer(synthetic));
  core::writeFileAtomically(out / "index.json", index.dump(2) + "\n", true);
  std::cerr << "library: wrote " << images.size() << " images and index.json to " << out.string() << "\n";
  return images.empty() ? kBadInput : kOk;
}

int runList(lib::CaseLibrary& library, const Args& args) {
  const auto studies = library.studies();
  if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : studies)
      out.push_back({{"label", s.label}, {"study_uid", s.study_uid}, {"series", s.series_count},
                     {"slices", s.slice_count}, {"root", s.root}, {"imported_at", s.imported_at},
                     {"missing", s.missing}});
    std::cout << out.dump(2) << "\n";
    return kOk;
  }
  for (const auto& s : studies)
    std::cout << s.label << "\t" << s.study_uid << "\t" << s.series_count << " series\t" << s.slice_count
              << " slices\t" << s.root << (s.missing ? "\tMISSING" : "") << "\n";
  return kOk;
}

int runLibrary(const Args& args) {
  const auto& pos = args.positionals();
  if (pos.empty()) throw UsageError("expected an action: import, query, export-teaching-set, list, check, relink, "
                                    "label or tag");
  const std::string action = pos.front();
  const std::vector<std::string> rest(pos.begin() + 1, pos.end());
  lib::CaseLibrary library(args.value("db") ? fs::path(*args.value("db")) : lib::CaseLibrary::defaultFile());
  if (action == "import") return runImport(library, args, std::vector<fs::path>(rest.begin(), rest.end()));
  if (action == "query") return runQuery(library, args);
  if (action == "export-teaching-set") return runExportTeachingSet(library, args);
  if (action == "list") return runList(library, args);
  if (action == "check") {
    const int missing = library.checkAvailability();
    std::cout << missing << " series missing\n";
    return runList(library, args);
  }
  if (action == "relink") {
    if (rest.size() != 2) throw UsageError("relink needs a study (label or UID) and its new folder");
    std::cout << "relinked " << library.relink(rest[0], rest[1]) << " series\n";
    return kOk;
  }
  if (action == "label" || action == "tag") {
    if (rest.size() < 2 || (action == "tag" && rest.size() != 3))
      throw UsageError(action == "tag" ? "tag needs SERIES_UID SLICE TAG" : "label needs SERIES_UID SLICE");
    // The whole argument or nothing: "2 OR 1=1" is not slice 2.
    const auto parsed = core::parseStrictInt(rest[1], 0, INT_MAX);
    if (!parsed) throw UsageError("SLICE must be a whole number (0 or more), not '" + rest[1] + "'");
    const int slice = static_cast<int>(*parsed);
    if (action == "tag") {
      if (args.flag("remove")) library.removeTag(rest[0], slice, rest[2]);
      else library.addTag(rest[0], slice, rest[2]);
      return kOk;
    }
    if (args.flag("remove")) {
      library.clearTeacherLabel(rest[0], slice);
      return kOk;
    }
    lib::TeacherLabel label;
    label.diagnosis = args.value("diagnosis").value_or("");
    label.manifestations = splitList(args.value("manifestations").value_or(""));
    label.note = args.value("note").value_or("");
    library.setTeacherLabel(rest[0], slice, label);
    return kOk;
  }
  throw UsageError("unknown action '" + action + "'");
}

const RegisterCommand reg{
    {"library",
     "import DIR... | query | export-teaching-set | list | check | relink STUDY DIR | label SERIES_UID SLICE | "
     "tag SERIES_UID SLICE TAG",
     "The case library for teaching: imports studies with their AI results (each study committed on its own; "
     "\"imported <label> <uid>\" on stdout), finds slices by diagnosis, manifestation, score, tag or teacher's "
     "label, and exports anonymized teaching sets. Keeps no pixel copies: moved studies show as missing until "
     "relinked.",
     {{"db", "FILE", "the library database (default: the user's library)"},
      {"model", "DIR", "import: the diagnosis model bundle (default: the installed one)"},
      {"manifestation-model", "DIR", "import: the manifestation model bundle (default: the installed one, if any)"},
      {"no-ai", "", "import: without AI results"},
      {"threads", "N", "import: worker threads (default: all cores)"},
      {"shard", "I/N", "import: score only share I of N of the studies (deterministic; run N workers at once)"},
      {"skip-imported", "", "import: skip studies already in the library (re-running a shard resumes it)"},
      {"diagnosis", "C", "query, export-teaching-set: slices with this diagnosis; label: the teacher's diagnosis"},
      {"manifestation", "M", "query, export-teaching-set: slices with this manifestation"},
      {"min-score", "X", "query, export-teaching-set: slices scoring at least X"},
      {"max-score", "X", "query, export-teaching-set: slices scoring at most X"},
      {"tag", "T", "query, export-teaching-set: slices with this tag"},
      {"source", "ai|teacher|either", "query, export-teaching-set: whose label counts (default either)"},
      {"limit", "N", "query, export-teaching-set: at most N slices"},
      {"in-distribution-only", "", "query, export-teaching-set: leave out series unlike the model's training data"},
      {"json", "", "query, list: prints JSON"},
      {"out", "DIR", "export-teaching-set: the folder to write"},
      {"heatmap", "", "export-teaching-set: also writes each slice's AI heatmap"},
      {"manifestations", "a,b", "label: the teacher's manifestations"},
      {"note", "T", "label: the teacher's note"},
      {"remove", "", "label, tag: removes the label or tag instead"}},
     &runLibrary}};

}  // namespace
}  // namespace lunglens::cli
