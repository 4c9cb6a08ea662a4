// lunglens-cli evaluate: a model bundle's report on a labelled data set (slice and subject level), scored through
// the inference engine. The split comes from the bundle's split.json (written by `train`) unless --split all.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/args.h"
#include "app/cli/bundle_evaluation.h"
#include "app/cli/command_registry.h"
#include "app/cli/training_data.h"
#include "core/common/error.h"
#include "core/inference/model.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace tr = core::training;
namespace inf = core::inference;

double trainedMinFindingArea(const fs::path& bundle) {
  std::ifstream in(bundle / "training.json");
  if (!in) return 0.0;
  const auto training = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  return training.is_object() ? training.value("min_finding_area_mm2", 0.0) : 0.0;
}

int runEvaluate(const Args& args) {
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
  const fs::path bundle = args.require("model");
  const fs::path data_path = args.require("data");
  const std::string split_name = args.value("split").value_or("test");
  inf::configureInferenceThreads(args.intValue("threads", 0));

  const inf::Manifest manifest = inf::readManifest(bundle);
  // Trace findings are set aside as given, else as the bundle was trained (training.json) where the data can say
  // how large each finding is (a phantom set with involved_area_mm2); other data is evaluated on every slice.
  TrainingData data;
  if (args.value("min-finding-mm2")) {
    const double given = args.doubleValue("min-finding-mm2", 0.0);
    if (!(given >= 0.0)) throw UsageError("--min-finding-mm2 must be a number, 0 or more");
    data = readTrainingData(data_path, manifest.task, given);
  } else {
    data = readTrainingData(data_path, manifest.task);
    const double trained = trainedMinFindingArea(bundle);
    if (trained > 0.0 && data.phantom_set) {
      try {
        data = readTrainingData(data_path, manifest.task, trained);
      } catch (const core::InputError& e) {
        std::cerr << "evaluate: every slice kept (the bundle was trained without findings under " << trained
                  << " mm², but " << e.what() << ")\n";
      }
    } else if (trained > 0.0) {
      std::cerr << "evaluate: every slice kept (the bundle was trained without findings under " << trained
                << " mm², but this data has no finding areas)\n";
    }
  }
  std::vector<std::string> subjects;
  if (split_name == "all") {
    subjects = subjectsOfSplit({}, "all", data.dataset);
  } else {
    const fs::path split_file = args.value("split-file").value_or((bundle / "split.json").string());
    subjects = subjectsOfSplit(tr::readSplitJson(split_file), split_name, data.dataset);
  }
  const tr::Dataset selected = data.dataset.subset(subjects);
  if (selected.samples.empty())
    throw core::InputError(data.csv.string(), "none of the " + split_name + " split's subjects are in this data");

  BundleEvaluationOptions options;
  options.split_name = split_name;
  options.synthetic = manifest.provenance.synthetic;
  options.batch = args.intValue("batch", 16);
  options.bootstrap_iterations = args.intValue("bootstrap", 1000);
  options.dataset_note = datasetNote(data);
  options.cached_input = cachedInputs(data, manifest.input);
  if (options.batch < 1) throw UsageError("--batch must be at least 1");
  options.progress = [](int done, int total) {
    std::cerr << "\revaluate: " << done << "/" << total << " slices" << (done == total ? "\n" : "") << std::flush;
  };
  const fs::path out = args.value("out").value_or((bundle / ("evaluation-" + split_name)).string());
  const BundleEvaluation result = evaluateBundle(bundle, selected, out, options);
  std::cout << result.markdown;
  std::cerr << "wrote " << (out / "report.json").string() << ", report.md, roc_slice.png, roc_subject.png and the "
            << "predictions CSVs\n";
  return kOk;
}

const RegisterCommand reg{
    {"evaluate", "",
     "evaluate a model bundle through the inference engine: slice- and subject-level report (JSON + Markdown, 95% "
     "bootstrap CIs) and ROC PNGs",
     {{"model", "BUNDLE_DIR", "the model bundle to evaluate", true},
      {"data", "DATASET_DIR|DIR|FILE.csv", "an imported dataset, a phantom set or an image CSV", true},
      {"split", "test|validation|train|all", "which subjects are evaluated (default test)"},
      {"split-file", "split.json", "the subject split (default: the bundle's split.json)"},
      {"out", "DIR", "where the report goes (default: BUNDLE_DIR/evaluation-SPLIT)"},
      {"batch", "N", "slices per inference batch (default 16)"},
      {"bootstrap", "N", "bootstrap iterations for the 95% CIs (default 1000)"},
      {"threads", "N", "inference threads (default: all cores)"},
      {"min-finding-mm2", "A", "sets aside slices whose findings are smaller than A mm2 (default: as trained)"}},
     &runEvaluate}};

}  // namespace
}  // namespace lunglens::cli
