// lunglens-cli export: annotated screenshots of slices, headless (PNG or JPEG), anonymized unless --include-phi.
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/export_inputs.h"
#include "app/cli/offscreen_gui.h"
#include "core/common/error.h"
#include "core/dicom/image_number.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/annotation/annotation_store.h"
#include "ui/paint/image_file.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;

std::string pad3(int z) {
  std::string s = std::to_string(z);
  return std::string(s.size() < 3 ? 3 - s.size() : 0, '0') + s;
}

int runExport(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("expected one folder (or DICOMDIR, or file)");
  const std::string dir = args.positionals().front();
  const std::string sliceText = args.require("slice");
  const fs::path out = args.require("out");
  const ui::paint::ExportSize size = parseExportSize(args);
  const std::string windowText = args.value("window").value_or("lung");
  const auto window = core::volume::parseWindow(windowText);
  if (!window) throw UsageError("--window must be lung, mediastinum, bone or W,L");
  const bool overwrite = args.flag("overwrite");

  const auto catalog = core::dicom::scan(dir);
  const auto& series = chooseExportSeries(catalog, dir, args.value("series"), "export");
  std::optional<core::annotation::StudyAnnotations> annotations;
  if (const auto file = args.value("annotations")) annotations = loadExportAnnotations(*file, series);

  // Slices chosen by AI need the results before the slices are known; heatmaps need the slices.
  const auto volume = core::dicom::loadSeries(series);
  AiInputs ai;
  std::vector<int> slices;
  if (sliceText == "suspicious" && !args.value("predictions")) {
    ai = loadAiInputs(args, series, volume, true, {}, "export");  // score first, heatmaps below
  } else if (args.value("predictions")) {
    ai = loadAiInputs(args, series, volume, false, {}, "export");
  }
  slices = parseSliceSelection(sliceText, series, annotations ? &*annotations : nullptr,
                               ai.results ? &*ai.results : nullptr);
  if (args.flag("heatmap")) {
    AiInputs maps = loadAiInputs(args, series, volume, false, slices, "export");
    ai.heatmaps = std::move(maps.heatmaps);
    ai.heatmap_label = maps.heatmap_label;
    if (!ai.lung) ai.lung = maps.lung;
    ensureLungAnalysis(ai, *volume, "export");  // heatmaps stay inside the lungs
    if (!ai.results) ai.results = std::move(maps.results);
  }
  if (ai.results) ensureLungAnalysis(ai, *volume, "export");  // the scores box's lung line

  // One slice to a file name, or any number into a folder named by image number (im-093.png ...).
  const bool toFolder = slices.size() > 1 || fs::is_directory(out) || !out.has_extension();
  std::string extension = args.value("format").value_or("png");
  if (extension != "png" && extension != "jpg") throw UsageError("--format must be png or jpg");
  if (!toFolder) ui::paint::imageFormatFor(out);  // fail on a bad extension before rendering
  if (toFolder) {
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) throw core::InputError(out.string(), "cannot create the folder: " + ec.message());
    if (!overwrite) {  // check every name first: all or nothing
      for (int z : slices) {
        const fs::path target = out / ("im-" + pad3(core::dicom::imageNumber(series, z)) + "." + extension);
        if (fs::exists(target)) throw core::InputError(target.string(), "file exists; not overwriting it (--overwrite)");
      }
    }
  }

  ensureOffscreenGui();
  for (int z : slices) {
    const QImage image = composeSlice(series, *volume, z, *window, ai, args.flag("heatmap"),
                                      annotations ? &*annotations : nullptr, args.flag("include-phi"), size);
    const fs::path target =
        toFolder ? out / ("im-" + pad3(core::dicom::imageNumber(series, z)) + "." + extension) : out;
    ui::paint::writeImageFile(image, target, overwrite);
    std::cout << "wrote " << target.string() << " (" << image.width() << "x" << image.height() << ", "
              << core::dicom::imageLabel(series, z) << ", index " << z << ")\n";
  }
  if (args.flag("include-phi")) std::cerr << "export: patient identity is burned into these images (--include-phi)\n";
  return kOk;
}

const RegisterCommand reg{
    {"export", "DIR",
     "Annotated screenshots of slices (0 = lowest): the windowed slice in radiological orientation, annotations "
     "with measurements, the AI heatmap and scores when asked, and the disclaimer. Anonymized unless --include-phi. "
     "Never overwrites without --overwrite.",
     Options{seriesOption(),
             {"slice", "N|im:N[,...]|all|bookmarks|suspicious", "the slices to export (N = index, 0 = lowest; im:N = DICOM image number)", true},
             {"out", "FILE.png|FILE.jpg|DIR", "one image, or a folder for several", true},
             windowOption(),
             annotationsOption(),
             {"heatmap", "", "draws the AI heatmap over the slice"},
             {"format", "png|jpg", "the image format in a folder (default png)"}} +
         aiInputOptions() + exportSizeOptions() + phiAndOverwriteOptions(),
     &runExport}};

}  // namespace
}  // namespace lunglens::cli
