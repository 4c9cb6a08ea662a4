#pragma once
// The lunglens command line:
//   lunglens [DIR] [--series UID] [--slice N] [--window lung|mediastinum|bone|W,L] [--hide-patient]
//            [--screenshot FILE.png] [--demo] [--heatmap] [--model DIR] [--manifestation-model DIR] [--wait-for-ai]
//            [--lung]
#include <optional>
#include <string>
#include <vector>

#include "core/volume/window.h"

namespace lunglens::gui {

struct GuiOptions {
  std::string folder;           // a folder, DICOMDIR or file to open; empty = none
  bool demo = false;            // open the bundled demo phantom study
  std::string series_uid;       // series to open; empty = the CT series with the most slices
  int slice = -1;               // 0 = the lowest slice (as lunglens-cli); -1 = the middle one
  std::optional<core::volume::Window> window;
  bool hide_patient = false;    // start with patient-identifying text hidden
  std::string screenshot;       // save the window as PNG once loaded, then exit
  bool heatmap = false;         // start with the AI heatmap shown
  std::string model;            // diagnosis model bundle folder; empty = the first installed
  std::string manifestation_model;  // manifestation bundle folder; empty = one beside --model, else installed
  bool wait_for_ai = false;     // with --screenshot: also wait until the AI scored every slice
  bool lung = false;            // show the lung contour and opacity overlays; a screenshot waits for the analysis
  bool help = false;
};

std::string guiUsage();

// Throws cli::UsageError for unknown options, bad numbers or windows, or more than one folder.
GuiOptions parseGuiOptions(const std::vector<std::string>& args);

}  // namespace lunglens::gui
