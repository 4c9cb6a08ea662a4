#pragma once
// The lunglens command line:
//   lunglens [DIR] [--series UID] [--slice N] [--window lung|mediastinum|bone|W,L] [--hide-patient]
//            [--screenshot FILE.png] [--demo]
#include <optional>
#include <string>
#include <vector>

#include "core/volume/window.h"

namespace lunglens::gui {

struct GuiOptions {
  std::string folder;           // a folder, DICOMDIR or file to open; empty = none
  bool demo = false;            // open the bundled demo phantom study
  std::string series_uid;       // series to open; empty = the CT series with the most slices
  int slice = -1;               // 1-based in the user's terms on the command line, stored 0-based; -1 = middle
  std::optional<core::volume::Window> window;
  bool hide_patient = false;    // start with patient-identifying text hidden
  std::string screenshot;       // save the window as PNG once loaded, then exit
  bool help = false;
};

std::string guiUsage();

// Throws cli::UsageError for unknown options, bad numbers or windows, or more than one folder.
GuiOptions parseGuiOptions(const std::vector<std::string>& args);

}  // namespace lunglens::gui
