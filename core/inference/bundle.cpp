#include "core/inference/bundle.h"

#include <algorithm>
#include <system_error>

#include "core/common/error.h"
#include "core/common/paths.h"

namespace fs = std::filesystem;

namespace lunglens::core::inference {

std::vector<fs::path> modelSearchPath() {
  // Beside the executable (the build tree), then the installed layout (bin/../share/lunglens/models).
  std::vector<fs::path> roots{executableDir() / "models",
                              executableDir().parent_path() / "share" / "lunglens" / "models"};
  try {
    roots.push_back(userDataDir() / "models");
  } catch (const InputError&) {
    // No usable data folder: the bundles beside the executable still count.
  }
  return roots;
}

std::vector<BundleEntry> listBundles(const std::vector<fs::path>& roots) {
  std::vector<BundleEntry> out;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    std::vector<fs::path> dirs;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_directory(ec) && fs::exists(it->path() / "manifest.json", ec)) dirs.push_back(it->path());
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
      BundleEntry entry{dir, std::nullopt, {}};
      try {
        entry.manifest = readManifest(dir);
      } catch (const InputError& e) {
        entry.error = e.what();
      }
      out.push_back(std::move(entry));
    }
  }
  return out;
}

fs::path findBundle(Task task, const std::vector<fs::path>& roots) {
  std::string skipped;
  for (const auto& entry : listBundles(roots)) {
    if (entry.manifest && entry.manifest->task == task) return entry.dir;
    if (!entry.manifest) skipped += "\n  skipped " + entry.error;
  }
  std::string where;
  for (const auto& r : roots) where += (where.empty() ? "" : ", ") + r.string();
  throw InputError("model search", "no " + taskName(task) + " model bundle found in " + where +
                                       " (install one there or pass --model DIR)" + skipped);
}

}  // namespace lunglens::core::inference
