#include "app/gui/gui_options.h"

#include "app/cli/args.h"

namespace lunglens::gui {

namespace {

// Declared once: the parser and the usage text both come from this list.
const cli::Options& guiOptions() {
  static const cli::Options options = {
      {"series", "UID", "the series to open (default: the CT series with the most slices)"},
      {"slice", "N", "the slice to show, 0 = the lowest, as in lunglens-cli (default: the middle one)"},
      {"window", "lung|mediastinum|bone|W,L", "display window: a preset name or width,level in HU (default: lung)"},
      {"hide-patient", "", "start with patient-identifying text hidden (key H toggles it)"},
      {"screenshot", "FILE.png", "load, render, save the window as PNG to FILE.png and exit"},
      {"demo", "", "open the bundled demo phantom study"},
      {"heatmap", "", "show the AI heatmap (Grad-CAM) on the slice (key H toggles it)"},
      {"model", "DIR", "the AI diagnosis model bundle to use (default: the first installed)"},
      {"manifestation-model", "DIR", "the manifestation model bundle (default: one beside --model, or installed)"},
      {"wait-for-ai", "", "with --screenshot: wait until every slice is scored (and the heatmap drawn)"},
      {"lung", "", "show the lung contour and opacity overlays (keys L, G); with --screenshot, wait for the lung "
                   "analysis"}};
  return options;
}

}  // namespace

std::string guiUsage() {
  return "usage: lunglens [DIR]" + cli::optionsSynopsis(guiOptions()) +
         "\n  DIR  a folder of DICOM files, a DICOMDIR, or one DICOM file\n" + cli::optionsHelp(guiOptions());
}

GuiOptions parseGuiOptions(const std::vector<std::string>& argv) {
  GuiOptions o;
  for (const auto& a : argv) {
    if (a == "-h" || a == "--help") {
      o.help = true;
      return o;
    }
  }
  const cli::Args args(argv, guiOptions());
  if (args.positionals().size() > 1) throw cli::UsageError("give at most one folder to open");
  if (!args.positionals().empty()) o.folder = args.positionals().front();
  o.demo = args.flag("demo");
  if (o.demo && !o.folder.empty()) throw cli::UsageError("--demo opens the demo study: give it no folder");
  o.series_uid = args.value("series").value_or("");
  if (args.value("slice")) {
    const int n = args.intValue("slice", 0);
    if (n < 0) throw cli::UsageError("--slice counts from 0 (the lowest slice), not " + std::to_string(n));
    o.slice = n;
  }
  if (const auto w = args.value("window")) {
    o.window = core::volume::parseWindow(*w);
    if (!o.window) throw cli::UsageError("--window must be lung, mediastinum, bone or W,L (e.g. 400,40), not '" + *w + "'");
  }
  o.hide_patient = args.flag("hide-patient");
  o.screenshot = args.value("screenshot").value_or("");
  o.heatmap = args.flag("heatmap");
  o.model = args.value("model").value_or("");
  o.manifestation_model = args.value("manifestation-model").value_or("");
  o.wait_for_ai = args.flag("wait-for-ai");
  o.lung = args.flag("lung");
  if (o.wait_for_ai && o.screenshot.empty()) throw cli::UsageError("--wait-for-ai goes with --screenshot FILE.png");
  if (!o.screenshot.empty() && o.folder.empty() && !o.demo) {
    throw cli::UsageError("--screenshot needs a folder to open (or --demo)");
  }
  return o;
}

}  // namespace lunglens::gui
