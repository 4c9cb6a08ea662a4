// lunglens-cli export-dicom: DICOM Secondary Captures of annotated slices and a Structured Report of the AI results,
// both in the source study as new series, referencing the source slices.
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/export_inputs.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/disclaimer.h"
#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/export/dicom_derived.h"
#include "ui/paint/image_file.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace ex = core::exporting;
namespace ann = core::annotation;

std::string pad3(int z) {
  std::string s = std::to_string(z);
  return std::string(s.size() < 3 ? 3 - s.size() : 0, '0') + s;
}

int runExportDicom(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  const fs::path out = args.require("out");
  const auto sliceText = args.value("slice");
  const bool wantSr = args.flag("sr");
  if (!sliceText && !wantSr) throw UsageError("nothing to export: give --slice (Secondary Capture) and/or --sr");
  if (args.flag("heatmap") && !sliceText) throw UsageError("--heatmap needs --slice");
  const ui::paint::ExportSize size = parseExportSize(args);
  const auto window = core::volume::parseWindow(args.value("window").value_or("lung"));
  if (!window) throw UsageError("--window must be lung, mediastinum, bone or W,L");
  const bool overwrite = args.flag("overwrite");

  const auto catalog = core::dicom::scan(dir);
  const auto& series = chooseExportSeries(catalog, dir, args.value("series"), "export-dicom");
  std::optional<ann::StudyAnnotations> annotations;
  if (const auto file = args.value("annotations")) annotations = loadExportAnnotations(*file, series);
  const auto volume = core::dicom::loadSeries(series);

  const bool needScores = wantSr || (sliceText && *sliceText == "suspicious");
  AiInputs ai;
  if (needScores || args.value("predictions")) ai = loadAiInputs(args, series, volume, needScores, {}, "export-dicom");
  std::vector<int> slices;
  if (sliceText) {
    slices = parseSliceSelection(*sliceText, series, annotations ? &*annotations : nullptr,
                                 ai.results ? &*ai.results : nullptr);
  }
  if (args.flag("heatmap")) {
    AiInputs maps = loadAiInputs(args, series, volume, false, slices, "export-dicom");
    ai.heatmaps = std::move(maps.heatmaps);
    ai.heatmap_label = maps.heatmap_label;
    if (!ai.results) ai.results = std::move(maps.results);
  }

  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw core::InputError(out.string(), "cannot create the folder: " + ec.message());
  std::vector<fs::path> targets;
  for (int z : slices) targets.push_back(out / ("sc-" + pad3(z) + ".dcm"));
  if (wantSr) targets.push_back(out / "ai-results-sr.dcm");
  if (!overwrite) {
    for (const auto& t : targets) {
      if (fs::exists(t)) throw core::InputError(t.string(), "file exists; not overwriting it (--overwrite)");
    }
  }

  if (!slices.empty()) {
    ensureOffscreenGui();
    const ex::DerivedSeries sc = ex::newDerivedSeries(series, "LungLens annotated images");
    int instance = 1;
    for (int z : slices) {
      const QImage image = composeSlice(series, *volume, z, *window, ai, args.flag("heatmap"),
                                        annotations ? &*annotations : nullptr, args.flag("include-phi"), size);
      ex::SecondaryCaptureInput in;
      in.image = ui::paint::toRgbImage(image);
      in.source_slices = {z};
      in.phi_burned_in = args.flag("include-phi");
      in.instance_number = instance++;
      in.derivation = "LungLens annotated view of slice " + std::to_string(z) +
                      (args.flag("heatmap") ? " with AI heatmap" : "") + "; " + core::kDisclaimer;
      const fs::path target = out / ("sc-" + pad3(z) + ".dcm");
      ex::writeSecondaryCapture(in, series, sc, target, overwrite);
      std::cout << "wrote " << target.string() << " (Secondary Capture of slice " << z << ")\n";
    }
  }
  if (wantSr) {
    if (!ai.results) throw core::InputError("--sr", "no AI results (give --predictions FILE or install a model)");
    const fs::path target = out / "ai-results-sr.dcm";
    ensureLungAnalysis(ai, *volume, "export-dicom");  // the SR's "Lung analysis" container
    ex::writeAiStructuredReport(*ai.results, series, ex::newDerivedSeries(series, "LungLens AI results"), target,
                                overwrite, ai.lung.get());
    std::cout << "wrote " << target.string() << " (Structured Report, " << ex::suspiciousSlices(*ai.results).size()
              << " flagged slices)\n";
  }
  return kOk;
}

const RegisterCommand reg{
    {"export-dicom", "DIR",
     "DICOM Secondary Capture of annotated slices (sc-NNN.dcm) and, with --sr, a Structured Report of the AI results "
     "(ai-results-sr.dcm, with the lung analysis), in the source study as new series referencing the source slices.",
     Options{seriesOption(),
             {"out", "DIR", "the folder for the new DICOM files", true},
             {"slice", "N|im:N[,...]|all|bookmarks|suspicious", "the slices to capture (N = index, 0 = lowest; im:N = DICOM image number)"},
             {"sr", "", "writes the Structured Report of the AI results"},
             annotationsOption(),
             {"heatmap", "", "draws the AI heatmap over the captured slices"},
             windowOption()} +
         aiInputOptions() + exportSizeOptions() + phiAndOverwriteOptions(),
     &runExportDicom}};

}  // namespace
}  // namespace lunglens::cli
