// lunglens-cli report: the study report of the AI results (report.json, scores.csv, report.html with the score
// curve, key slices and the disclaimer).
#include <algorithm>
#include <cmath>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/export_inputs.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/export/study_report.h"
#include "ui/paint/image_file.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace ex = core::exporting;
namespace ann = core::annotation;

// The flagged slices with the highest disease probability (any class but "normal"), at most `count`, in slice order.
std::vector<int> keySlices(const ex::AiResults& r, int count) {
  std::vector<std::pair<double, int>> ranked;
  for (int index : ex::suspiciousSlices(r)) {
    const ex::SliceScores* s = r.slice(index);
    double top = 0.0;
    for (std::size_t c = 0; s && c < r.classes.size() && c < s->probabilities.size(); ++c) {
      if (r.classes[c] != "normal") top = std::max(top, s->probabilities[c]);
    }
    ranked.push_back({top, index});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<int> out;
  for (int i = 0; i < std::min<int>(count, static_cast<int>(ranked.size())); ++i) out.push_back(ranked[i].second);
  std::sort(out.begin(), out.end());
  return out;
}

// Index as the CLI counts (0 = lowest), slice number as the image overlay shows it (1-based).
std::string caption(const ex::AiResults& r, int index, int sliceCount) {
  std::string text = "Index " + std::to_string(index) + " (slice " + std::to_string(index + 1) + " / " +
                     std::to_string(sliceCount) + ")";
  if (const ex::SliceScores* s = r.slice(index)) {
    const std::string top = r.topClass(*s);
    const auto i = std::find(r.classes.begin(), r.classes.end(), top) - r.classes.begin();
    text += ": " + ex::displayClassName(top) + " " +
            std::to_string(static_cast<int>(std::lround(s->probabilities[static_cast<std::size_t>(i)] * 100))) + " %";
  }
  return text;
}

int runReport(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  const fs::path out = args.require("out");
  const int keyCount = args.intValue("key-slices", 6);
  if (keyCount < 0 || keyCount > 64) throw UsageError("--key-slices must be 0..64");
  const auto window = core::volume::parseWindow(args.value("window").value_or("lung"));
  if (!window) throw UsageError("--window must be lung, mediastinum, bone or W,L");

  const auto catalog = core::dicom::scan(dir);
  const auto& series = chooseExportSeries(catalog, dir, args.value("series"), "report");
  std::optional<ann::StudyAnnotations> annotations;
  if (const auto file = args.value("annotations")) annotations = loadExportAnnotations(*file, series);
  const auto volume = core::dicom::loadSeries(series);
  AiInputs ai = loadAiInputs(args, series, volume, true, {}, "report");
  if (!ai.results) throw core::InternalError("no AI results");
  const std::vector<int> keys = keySlices(*ai.results, keyCount);
  if (args.flag("heatmap") && !keys.empty()) {
    AiInputs maps = loadAiInputs(args, series, volume, false, keys, "report");
    ai.heatmaps = std::move(maps.heatmaps);
    ai.heatmap_label = maps.heatmap_label;
  }

  std::vector<ex::KeySliceImage> images;
  if (!keys.empty()) ensureOffscreenGui();
  for (int z : keys) {
    const QImage image = composeSlice(series, *volume, z, *window, ai, args.flag("heatmap"),
                                      annotations ? &*annotations : nullptr, args.flag("include-phi"), {0.6});
    images.push_back({z, ui::paint::encodeImage(image, "png"), caption(*ai.results, z, volume->slices())});
  }
  ensureLungAnalysis(ai, *volume, "report");  // the report's "Lung analysis" (none where it fails: said on stderr)
  ex::writeStudyReport(out, *ai.results, series, images, args.flag("include-phi"), args.flag("overwrite"),
                       ai.lung.get());
  std::cout << "wrote " << (out / "report.html").string() << ", report.json and scores.csv ("
            << ai.results->slices.size() << " slices scored, " << ex::suspiciousSlices(*ai.results).size()
            << " flagged, " << images.size() << " key slices)\n";
  return kOk;
}

const RegisterCommand reg{
    {"report", "DIR",
     "Study report of the AI results: report.json, scores.csv (per-slice scores) and a one-page report.html with "
     "the score curve, the key slices, the lung analysis (volumes, involvement per zone, CT severity score) and the "
     "disclaimer. Anonymized unless --include-phi.",
     Options{seriesOption(),
             {"out", "DIR", "the report folder", true},
             {"key-slices", "N", "how many key slices the report shows, 0..64 (default 6)"},
             {"heatmap", "", "draws the AI heatmap on the key slices"},
             annotationsOption(),
             windowOption()} +
         aiInputOptions() + phiAndOverwriteOptions(),
     &runReport}};

}  // namespace
}  // namespace lunglens::cli
