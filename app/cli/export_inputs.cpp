#include "app/cli/export_inputs.h"

#include <climits>
#include <QImage>
#include <algorithm>
#include <iostream>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/export/lung_verdict.h"
#include "core/annotation/annotation_store.h"
#include "core/inference/bundle.h"
#include "core/inference/preprocess.h"
#include "core/inference/series_scoring.h"
#include "core/inference/verdict.h"
#include "core/common/strict_number.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace inf = core::inference;
namespace ex = core::exporting;
namespace ann = core::annotation;

void fillSopUids(ex::AiResults& r, const core::dicom::SeriesInfo& series, const std::string& source) {
  if (!r.series_uid.empty() && r.series_uid != series.series_uid) {
    throw core::InputError(source, "these predictions are for series " + r.series_uid + ", not " + series.series_uid);
  }
  r.series_uid = series.series_uid;
  r.study_uid = series.study_uid;
  for (auto& s : r.slices) {
    if (s.index < 0 || s.index >= static_cast<int>(series.slices.size())) {
      throw core::InputError(source, "slice index " + std::to_string(s.index) + " is outside the series");
    }
    if (s.sop_instance_uid.empty()) s.sop_instance_uid = series.slices[static_cast<std::size_t>(s.index)].sop_instance_uid;
  }
}

// A grey Grad-CAM PNG as written by `classify --heatmaps` (native slice size, 0..255).
core::inference::HeatmapGrid heatmapFromPng(const fs::path& file, int cols, int rows) {
  const QImage image = QImage(QString::fromStdString(file.string())).convertToFormat(QImage::Format_Grayscale8);
  if (image.isNull()) throw core::InputError(file.string(), "cannot read this heatmap PNG");
  core::inference::HeatmapGrid grid{image.width(), image.height(), {}};
  if (grid.width != cols || grid.height != rows) {
    std::cerr << "note: " << file.string() << " is " << grid.width << "x" << grid.height << ", the slice " << cols
              << "x" << rows << "; resampled\n";
  }
  grid.values.reserve(static_cast<std::size_t>(grid.width) * grid.height);
  for (int y = 0; y < grid.height; ++y) {
    const uchar* line = image.constScanLine(y);
    for (int x = 0; x < grid.width; ++x) grid.values.push_back(line[x] / 255.0f);
  }
  return grid;
}

inf::ModelPtr optionalManifestation(const Args& args, const std::string& command) {
  if (const auto dir = args.value("manifestation-model")) return inf::Model::load(*dir);
  for (const auto& entry : inf::listBundles(inf::modelSearchPath())) {
    if (!entry.manifest || entry.manifest->task != inf::Task::Manifestation) continue;
    try {
      return inf::Model::load(entry.dir);
    } catch (const core::InputError& e) {
      std::cerr << command << ": manifestation model skipped: " << e.what() << "\n";
    }
  }
  return nullptr;
}

// Grad-CAM of only the asked slices (predicted class), for scores that came from a predictions file: drawing one
// heatmap needs one slice explained, not the whole series scored again.
AiInputs explainSlices(const Args& args, const core::volume::VolumePtr& volume, const std::vector<int>& slices,
                       const std::string& command) {
  inf::configureInferenceThreads(0);
  const auto modelDir = args.value("model");
  const inf::ModelPtr model = inf::Model::load(modelDir ? fs::path(*modelDir) : inf::findBundle(inf::Task::Diagnosis));
  const auto& input = model->manifest().input;
  const auto& g = volume->geometry();
  std::cerr << command << ": Grad-CAM of " << slices.size() << (slices.size() == 1 ? " slice" : " slices")
            << " with " << model->manifest().name << "\n";
  AiInputs out;
  for (int z : slices) {
    const std::vector<float> image = inf::preprocessSlice(volume->slice(z), g.rows, g.cols, input);
    const inf::Heatmap map = model->explain(image.data()).heatmap;
    out.heatmaps[z] = {g.cols, g.rows, inf::heatmapOnSlice(map, g.rows, g.cols, input)};
    out.heatmap_label = "Grad-CAM: " + ex::displayClassName(map.class_name);
  }
  return out;
}

// Runs the models over the whole series (the verdict needs every slice) and Grad-CAM on the asked slices.
AiInputs runModels(const Args& args, const core::dicom::SeriesInfo& series, const core::volume::VolumePtr& volume,
                   const std::vector<int>& heatmapSlices, const std::string& command) {
  inf::configureInferenceThreads(0);
  const auto modelDir = args.value("model");
  const inf::ModelPtr diagnosis =
      inf::Model::load(modelDir ? fs::path(*modelDir) : inf::findBundle(inf::Task::Diagnosis));
  const inf::ModelPtr manifestation = optionalManifestation(args, command);
  std::cerr << command << ": scoring " << series.slices.size() << " slices with " << diagnosis->manifest().name
            << "\n";
  inf::SeriesScorer scorer(diagnosis, manifestation);
  const inf::SeriesScores scored = scorer.scoreVolume(series.series_uid, volume, heatmapSlices);

  const auto& dm = diagnosis->manifest();
  AiInputs out;
  ensureLungAnalysis(out, *volume, command);  // the verdict leaves out slices without lung, as the viewer's
  ex::AiResults r;
  r.model = {dm.name, dm.version, dm.provenance.training_data + (dm.provenance.date.empty() ? "" : ", " + dm.provenance.date),
             dm.provenance.synthetic || (manifestation && manifestation->manifest().provenance.synthetic)};
  r.classes = dm.classes;
  if (manifestation) r.manifestation_classes = manifestation->manifest().classes;
  for (const auto& s : scored.slices) {
    ex::SliceScores scores;
    scores.index = s.slice;
    scores.probabilities.assign(s.diagnosis.begin(), s.diagnosis.end());
    if (manifestation && !s.manifestation.empty()) scores.manifestation.assign(s.manifestation.begin(), s.manifestation.end());
    if (s.ood) {
      scores.ood_score = s.ood->score;
      scores.out_of_distribution = s.ood->out_of_distribution;
    }
    r.slices.push_back(std::move(scores));
    if (std::find(heatmapSlices.begin(), heatmapSlices.end(), s.slice) != heatmapSlices.end() &&
        !s.diagnosis_heatmap.empty()) {
      const auto& g = volume->geometry();
      out.heatmaps[s.slice] = {g.cols, g.rows, inf::heatmapOnSlice(s.diagnosis_heatmap, g.rows, g.cols, dm.input)};
      out.heatmap_label = "Grad-CAM: " + ex::displayClassName(s.diagnosis_heatmap.class_name);
    }
  }
  const auto summary = ex::summariseLungSlices(scored.slices, dm, diagnosis->oodGuard() != nullptr, out.lung.get());
  const inf::StudyVerdict& verdict = summary.verdict;
  r.verdict.class_name = verdict.verdict;
  r.verdict.rule = inf::verdictRuleText();
  r.verdict.numbers["slices"] = verdict.slices;
  r.verdict.numbers["top_k"] = verdict.top_k;
  r.verdict.numbers["slices_without_lung"] = verdict.excluded;
  for (const auto& s : verdict.scores) {
    r.verdict.numbers[s.name + "_top_k_mean"] = s.score;
    r.verdict.numbers[s.name + "_slices_over_threshold"] = s.slices_over_threshold;
  }
  r.ood = summary.ood;
  fillSopUids(r, series, "models");
  out.results = std::move(r);
  return out;
}

}  // namespace

const core::dicom::SeriesInfo& chooseExportSeries(const core::dicom::Catalog& catalog, const std::string& dir,
                                                  const std::optional<std::string>& uid, const std::string& command) {
  if (catalog.series.empty()) throw core::InputError(dir, "no image series found");
  if (!uid) {
    if (catalog.series.size() > 1) {
      std::cerr << command << ": " << catalog.series.size() << " series found; using the first ("
                << catalog.series.front().series_uid << "); choose one with --series\n";
    }
    return catalog.series.front();
  }
  for (const auto& s : catalog.series) {
    if (s.series_uid == *uid) return s;
  }
  throw core::InputError(dir, "no series with UID " + *uid + " (see `lunglens-cli series`)");
}

std::vector<int> parseSliceSelection(const std::string& text, const core::dicom::SeriesInfo& series,
                                     const ann::StudyAnnotations* annotations, const ex::AiResults* results) {
  const int count = static_cast<int>(series.slices.size());
  std::vector<int> out;
  if (text == "all") {
    for (int i = 0; i < count; ++i) out.push_back(i);
  } else if (text == "bookmarks") {
    if (!annotations) throw UsageError("--slice bookmarks needs --annotations FILE");
    for (const auto& b : annotations->bookmarks) {
      if (b.series_uid.empty() || b.series_uid == series.series_uid) out.push_back(b.slice);
    }
    if (out.empty()) throw core::InputError("--slice bookmarks", "the annotations have no bookmark in this series");
  } else if (text == "suspicious") {
    if (!results) throw UsageError("--slice suspicious needs AI results (--predictions FILE or a model)");
    out = ex::suspiciousSlices(*results);
    if (out.empty()) throw core::InputError("--slice suspicious", "the AI flagged no slice in this series");
  } else {
    for (const auto& part : splitList(text)) {
      if (part.rfind("im:", 0) == 0) {  // a DICOM image number (core/dicom/image_number.h)
        out.push_back(core::dicom::parseSliceSpec(series, part));
        continue;
      }
      const auto z = core::parseStrictInt(part, INT_MIN, INT_MAX);
      if (!z) throw UsageError("--slice: '" + part + "' is neither a slice index (N, 0 = lowest) nor an image number (im:N)");
      out.push_back(static_cast<int>(*z));
    }
    if (out.empty()) throw UsageError("--slice needs at least one index");
  }
  for (int z : out) {
    if (z < 0 || z >= count) {
      throw core::InputError("--slice", "slice " + std::to_string(z) + " is outside the series (0.." +
                                            std::to_string(count - 1) + ")");
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ann::StudyAnnotations loadExportAnnotations(const fs::path& file, const core::dicom::SeriesInfo& series) {
  // "saved": what the viewer saved for this study in the user's data folder.
  const std::string key = ann::annotationKey(series);
  ann::StudyAnnotations all = file == "saved" ? ann::AnnotationStore().load(key) : ann::loadAnnotationsFile(file);
  if (!all.study_uid.empty() && all.study_uid != key) {
    std::cerr << "note: " << file.string() << " was saved for study " << all.study_uid << ", not " << key << "\n";
  }
  ann::StudyAnnotations kept;
  kept.study_uid = key;
  for (auto& a : all.annotations) {
    if (a.series_uid.empty() || a.series_uid == series.series_uid) kept.annotations.push_back(std::move(a));
  }
  for (auto& b : all.bookmarks) {
    if (b.series_uid.empty() || b.series_uid == series.series_uid) kept.bookmarks.push_back(std::move(b));
  }
  return kept;
}

AiInputs loadAiInputs(const Args& args, const core::dicom::SeriesInfo& series, const core::volume::VolumePtr& volume,
                      bool needScores, const std::vector<int>& heatmapSlices, const std::string& command) {
  const auto predictions = args.value("predictions");
  const auto heatmapDir = args.value("heatmaps");
  // The models run when heatmaps are wanted without classify's heatmap folder, or scores without a predictions file.
  // With a predictions file only the heatmaps' slices are explained; without one the series is scored (the scores
  // box and the verdict need every slice).
  const bool mapsHere = !heatmapSlices.empty() && !heatmapDir;
  AiInputs out;
  if (predictions && mapsHere) {
    out = explainSlices(args, volume, heatmapSlices, command);
  } else if (mapsHere || (needScores && !predictions)) {
    out = runModels(args, series, volume, heatmapDir ? std::vector<int>{} : heatmapSlices, command);
  }
  if (predictions) {  // a given predictions file wins over scores computed here
    ex::AiResults r = ex::loadAnyAiResultsFile(*predictions);
    fillSopUids(r, series, *predictions);
    out.results = std::move(r);
  }
  if (out.results && out.results->ood.out_of_distribution) {
    if (args.flag("show-anyway")) out.results->shown_anyway = true;
    std::cerr << command << ": " << ex::oodWarningText(*out.results)
              << (out.results->withheld() ? "; --show-anyway exports the scores with the warning" : "") << "\n";
  }
  if (!heatmapSlices.empty() && heatmapDir) {
    const auto& g = volume->geometry();
    for (int z : heatmapSlices) {
      const fs::path png = fs::path(*heatmapDir) / ("slice_" + std::to_string(z) + ".png");
      if (!fs::exists(png)) throw core::InputError(png.string(), "no heatmap for slice " + std::to_string(z));
      out.heatmaps[z] = heatmapFromPng(png, g.cols, g.rows);
    }
    out.heatmap_label = "Grad-CAM (predicted class)";
  }
  return out;
}

void ensureLungAnalysis(AiInputs& ai, const core::volume::Volume& volume, const std::string& command) {
  if (ai.lung || !ai.no_lung_why.empty()) return;  // done, or failed already (said once)
  ai.lung = ex::lungAnalysisOrWhyNot(volume, ai.no_lung_why);
  if (!ai.lung) std::cerr << command << ": " << ex::heatmapClipNote(false, ai.no_lung_why) << "\n";
}

QImage composeSlice(const core::dicom::SeriesInfo& series, const core::volume::Volume& volume, int slice,
                    const core::volume::Window& window, const AiInputs& ai, bool withHeatmap,
                    const ann::StudyAnnotations* annotations, bool includePhi, const ui::paint::ExportSize& size) {
  if (!volume.sliceReady(slice)) throw core::InputError("slice " + std::to_string(slice), "not decoded");
  ui::paint::ExportView view;
  view.hu = volume.slice(slice);
  view.geometry = volume.geometry();
  view.slice = slice;
  view.slice_count = volume.slices();
  view.slice_position_mm = volume.slicePosition_mm(slice);
  view.window = window;
  view.series = series;
  view.include_phi = includePhi;
  if (ai.results) view.scores = ui::paint::scoresBoxFor(*ai.results, slice, ai.lung.get());
  // No heatmap over a series whose scores are withheld (unlike the model's training data).
  if (withHeatmap && !(ai.results && ai.results->withheld())) {
    const auto it = ai.heatmaps.find(slice);
    if (it == ai.heatmaps.end()) throw core::InternalError("no heatmap for slice " + std::to_string(slice));
    view.heatmap = it->second;
    view.heatmap_label = ai.heatmap_label;
    const auto& g = volume.geometry();
    view.heatmap_clip = ex::heatmapClip(ai.lung ? &ai.lung->mask : nullptr, slice, view.hu, g.cols, g.rows);
  }
  if (annotations) view.annotations = annotations->onSlice(series.series_uid, slice);
  if (annotations) {
    for (const auto& a : annotations->annotations) {  // annotations saved without a series UID
      if (a.series_uid.empty() && a.slice == slice) view.annotations.push_back(a);
    }
  }
  return ui::paint::composeExportImage(view, size);
}

Option seriesOption() { return {"series", "UID", "the series to use (default: the only one, else the first)"}; }

Option annotationsOption() {
  return {"annotations", "FILE.json|saved",
          "draws these annotations (\"saved\": the ones the viewer saved for the study)"};
}

Option windowOption() { return {"window", "lung|mediastinum|bone|W,L", "the display window (default lung)"}; }

Options aiInputOptions() {
  return {{"predictions", "FILE.json", "AI results from `classify` (or a lunglens-ai-results file) instead of scoring"},
          {"heatmaps", "DIR", "Grad-CAM maps from `classify --heatmaps` instead of computing them"},
          {"model", "DIR", "the diagnosis model bundle (default: the installed one)"},
          {"manifestation-model", "DIR", "the manifestation model bundle (default: the installed one, if any)"},
          {"show-anyway", "", "exports the scores of a series unlike the model's training data (the warning stays)"}};
}

Options exportSizeOptions() {
  return {{"scale", "S", "scales the image, (0, 8] (default 1)"},
          {"size", "WxH", "the image's size in pixels instead of --scale"}};
}

Options phiAndOverwriteOptions() {
  return {{"include-phi", "", "burns the patient's identity into the images (default: anonymized)"},
          {"overwrite", "", "replaces existing files"}};
}

ui::paint::ExportSize parseExportSize(const Args& args) {
  ui::paint::ExportSize size;
  size.scale = args.doubleValue("scale", 1.0);
  if (!(size.scale > 0.0) || size.scale > 8.0) throw UsageError("--scale must be in (0, 8]");
  if (const auto text = args.value("size")) {
    const auto x = text->find('x');
    const auto w = x == std::string::npos ? std::nullopt : core::parseStrictInt(text->substr(0, x), 0, 1 << 20);
    const auto h = x == std::string::npos ? std::nullopt : core::parseStrictInt(text->substr(x + 1), 0, 1 << 20);
    if (!w || !h) throw UsageError("--size must be WIDTHxHEIGHT, e.g. 1600x1000");
    size.width = static_cast<int>(*w);
    size.height = static_cast<int>(*h);
    if (size.width < 64 || size.height < 64 || size.width > 16384 || size.height > 16384) {
      throw UsageError("--size must be between 64x64 and 16384x16384");
    }
  }
  return size;
}

}  // namespace lunglens::cli
