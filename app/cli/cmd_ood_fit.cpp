// lunglens-cli ood-fit: fits (or refits) a bundle's out-of-distribution guard on the data it was trained on: the
// training split's slices give the feature statistics, the validation split's the threshold (ood_guard.h). For
// bundles trained before `train` fitted the guard itself. The test split's flag rate is printed as a check.
#include <iomanip>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/training_data.h"
#include "core/common/error.h"
#include "core/inference/model.h"
#include "core/training/ood_fit.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace tr = core::training;
namespace inf = core::inference;

int runOodFit(const Args& args) {
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
  const fs::path bundle = args.require("model");
  const double quantile = args.doubleValue("quantile", 0.99);
  if (!(quantile > 0.5 && quantile < 1.0)) throw UsageError("--quantile must be in (0.5, 1)");
  inf::configureInferenceThreads(args.intValue("threads", 0));

  // Load without a guard (a stale or foreign one must not stop its own refit).
  const fs::path guard_file = bundle / "ood_guard.json";
  const fs::path aside = bundle / "ood_guard.json.old";
  std::error_code ec;
  if (fs::exists(guard_file, ec)) fs::rename(guard_file, aside, ec);
  std::shared_ptr<inf::Model> model;
  try {
    model = inf::Model::load(bundle);
  } catch (...) {
    if (fs::exists(aside, ec)) fs::rename(aside, guard_file, ec);
    throw;
  }
  const TrainingData data = readTrainingData(args.require("data"), model->manifest().task);
  const tr::SubjectSplit split =
      tr::readSplitJson(args.value("split-file").value_or((bundle / "split.json").string()));
  const tr::Dataset train = data.dataset.subset(subjectsOfSplit(split, "train", data.dataset));
  const tr::Dataset validation = data.dataset.subset(subjectsOfSplit(split, "validation", data.dataset));
  const tr::Dataset test = data.dataset.subset(subjectsOfSplit(split, "test", data.dataset));
  const auto progress = [](int done, int total) {
    std::cerr << "\rood-fit: " << done << "/" << total << " slices" << (done == total ? "\n" : "") << std::flush;
  };
  try {
    const inf::OodGuard guard = tr::fitBundleGuard(*model, train, validation, quantile, progress);
    inf::writeOodGuard(guard, guard_file);
    fs::remove(aside, ec);
    std::cout << std::fixed << std::setprecision(4) << "OOD guard: " << guard_file.string() << "\n"
              << "  fitted on " << guard.training_slices << " training slices, threshold " << guard.threshold
              << " (quantile " << guard.threshold_quantile << " of " << guard.validation_slices
              << " validation slices)\n"
              << "  flagged: validation " << 100.0 * guard.validation_flag_rate << " %";
    if (!test.samples.empty())
      std::cout << ", test " << 100.0 * tr::flaggedFraction(guard, tr::sliceFeatures(*model, test)) << " %";
    std::cout << "\n";
  } catch (...) {
    if (fs::exists(aside, ec)) fs::rename(aside, guard_file, ec);
    throw;
  }
  return kOk;
}

const RegisterCommand reg{
    {"ood-fit", "",
     "fit (or refit) a model bundle's out-of-distribution guard on the data it was trained on: feature statistics "
     "from the training split, the threshold from the validation split (docs/MODEL_BUNDLE.md); prints the test "
     "split's flag rate",
     {{"model", "BUNDLE_DIR", "the model bundle", true},
      {"data", "DIR|FILE.csv", "the phantom set or image CSV the bundle was trained on", true},
      {"split-file", "split.json", "the subject split (default: the bundle's split.json)"},
      {"quantile", "Q", "the validation quantile used as the threshold (default 0.99)"},
      {"threads", "N", "inference threads (default: all cores)"}},
     &runOodFit}};

}  // namespace
}  // namespace lunglens::cli
