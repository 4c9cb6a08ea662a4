#include "ui/ai/model_catalog.h"

#include <algorithm>

#include "core/inference/bundle.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

ModelCatalog findModels(const std::filesystem::path& model, const std::filesystem::path& manifestation_model,
                        const std::vector<std::filesystem::path>& roots) {
  ModelCatalog c;
  auto add = [&](const inf::BundleEntry& b) {
    const bool known =
        std::any_of(c.diagnosis.begin(), c.diagnosis.end(), [&](const BundleChoice& x) { return x.dir == b.dir; });
    if (b.manifest && b.manifest->task == inf::Task::Diagnosis && !known)
      c.diagnosis.push_back({b.manifest->name + " " + b.manifest->version, b.dir});
  };
  if (!model.empty()) {
    try {
      const inf::Manifest m = inf::readManifest(model);
      if (m.task != inf::Task::Diagnosis) {
        c.error = model.string() + ": a " + inf::taskName(m.task) + " model, not a diagnosis model";
      } else {
        add({model, m, ""});
      }
    } catch (const std::exception& e) {
      c.error = e.what();
    }
  }
  const std::vector<inf::BundleEntry> installed = inf::listBundles(roots);
  for (const auto& b : installed) add(b);

  c.manifestation = manifestation_model;
  if (c.manifestation.empty()) {
    std::vector<inf::BundleEntry> candidates;
    if (!model.empty()) candidates = inf::listBundles({model.parent_path()});
    candidates.insert(candidates.end(), installed.begin(), installed.end());
    for (const auto& b : candidates)
      if (b.manifest && b.manifest->task == inf::Task::Manifestation) {
        c.manifestation = b.dir;
        break;
      }
  }
  return c;
}

}  // namespace lunglens::ui::ai
