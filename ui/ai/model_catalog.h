#pragma once
// Which model bundles the AI panel offers: the diagnosis bundles (one given with --model first, then the installed
// ones in search order) and the manifestation bundle to pair with them (given, else one beside --model, else the
// first installed). Reads manifests only (small files), never loads a model. Plain C++, no Qt.
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::ui::ai {

struct BundleChoice {
  std::string title;  // "name version"
  std::filesystem::path dir;
};

struct ModelCatalog {
  std::vector<BundleChoice> diagnosis;  // the first is the default
  std::filesystem::path manifestation;  // empty: none
  std::string error;                    // the bundle given explicitly is unusable (why), else empty
};

// `roots`: where installed bundles live (core::inference::modelSearchPath() in the application).
ModelCatalog findModels(const std::filesystem::path& model, const std::filesystem::path& manifestation_model,
                        const std::vector<std::filesystem::path>& roots);

}  // namespace lunglens::ui::ai
