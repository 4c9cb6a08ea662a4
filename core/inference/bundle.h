#pragma once
// Finding model bundles (folders holding model.pt + manifest.json): beside the executable (<exe dir>/models), in the
// user's data folder (userDataDir()/models), or a folder given explicitly (--model DIR).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::inference {

// The folders searched for bundles, in order: executableDir()/models (build tree), executableDir()/../share/
// lunglens/models (installed layout), then userDataDir()/models.
std::vector<std::filesystem::path> modelSearchPath();

struct BundleEntry {
  std::filesystem::path dir;
  std::optional<Manifest> manifest;  // empty when the manifest could not be read
  std::string error;                 // why not, one line
};

// Every sub-folder holding a manifest.json under each root (roots in order, sub-folders by name). Never throws.
std::vector<BundleEntry> listBundles(const std::vector<std::filesystem::path>& roots);

// The first bundle of `task` whose manifest reads cleanly. Throws InputError saying where it looked if none.
std::filesystem::path findBundle(Task task, const std::vector<std::filesystem::path>& roots = modelSearchPath());

}  // namespace lunglens::core::inference
