// lunglens-cli train: fine-tunes a CNN on a phantom set or an image folder CSV and writes a complete model bundle
// (model.pt without Python, manifest.json, split.json, training.json), then evaluates it on the held-out test
// subjects and keeps that report in the bundle (docs/TRAINING.md).
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/args.h"
#include "app/cli/bundle_evaluation.h"
#include "app/cli/command_registry.h"
#include "app/cli/training_data.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/paths.h"
#include "core/inference/model.h"
#include "core/metrics/classification_report.h"
#include "core/training/bundle_writer.h"
#include "core/training/network_factory.h"
#include "core/training/split.h"
#include "core/training/trainer.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
namespace tr = core::training;
namespace inf = core::inference;

std::string todayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::ostringstream s;
  s << std::put_time(&tm, "%Y-%m-%d");
  return s.str();
}

inf::Task parseTask(const std::string& name) {
  if (name == "diagnosis") return inf::Task::Diagnosis;
  if (name == "manifestation") return inf::Task::Manifestation;
  throw UsageError("--task must be diagnosis or manifestation, not '" + name + "'");
}

tr::NetworkSpec networkSpec(const Args& args, tr::Architecture arch, int classes, std::uint64_t seed) {
  tr::NetworkSpec spec;
  spec.architecture = arch;
  spec.num_classes = classes;
  spec.seed = seed;
  const std::string init =
      args.value("init").value_or(arch == tr::Architecture::MobileNetV2 ? "tflite" : "random");
  if (init == "random") {
    spec.init = tr::InitSource::Random;
  } else if (init == "tflite" || fs::path(init).extension() == ".tflite") {
    if (arch != tr::Architecture::MobileNetV2) throw UsageError("--init tflite needs --arch mobilenet_v2");
    spec.init = tr::InitSource::TfliteMobileNetV2;
    spec.weights_file = init == "tflite" ? defaultTfliteWeights() : fs::path(init);
  } else {
    spec.init = tr::InitSource::TorchvisionFile;
    spec.weights_file = init;
  }
  return spec;
}

tr::TrainOptions trainOptions(const Args& args, std::uint64_t seed) {
  tr::TrainOptions o;
  o.epochs = args.intValue("epochs", o.epochs);
  o.batch_size = args.intValue("batch", o.batch_size);
  o.learning_rate = args.doubleValue("lr", o.learning_rate);
  o.warmup_epochs = args.intValue("warmup-epochs", o.warmup_epochs);
  o.patience = args.intValue("patience", o.patience);
  o.max_batches_per_epoch = args.intValue("max-batches", 0);
  o.augment.enabled = !args.flag("no-augment");
  try {
    o.class_balance = tr::parseClassBalance(args.value("balance").value_or("inverse"));
  } catch (const core::InputError&) {
    throw UsageError("--balance must be inverse, sqrt or none");
  }
  o.seed = seed;
  const std::string optimizer = args.value("optimizer").value_or("adamw");
  if (optimizer == "adamw") o.optimizer = tr::OptimizerKind::AdamW;
  else if (optimizer == "sgd") o.optimizer = tr::OptimizerKind::SGD;
  else throw UsageError("--optimizer must be sgd or adamw, not '" + optimizer + "'");
  if (o.epochs < 1 || o.batch_size < 1 || o.warmup_epochs < 0 || o.learning_rate <= 0)
    throw UsageError("--epochs and --batch must be at least 1, --warmup-epochs at least 0, --lr positive");
  return o;
}

inf::Manifest baseManifest(const Args& args, inf::Task task, const TrainingData& data, const tr::NetworkSpec& spec) {
  const int input_size = args.intValue("input-size", 224);
  if (input_size < 8 || input_size > 4096) throw UsageError("--input-size must be in 8..4096");
  inf::Manifest m = tr::trainingManifest(task, input_size, spec);
  m.classes = data.dataset.classes;
  m.name = args.value("name").value_or(std::string("lunglens-") + (data.phantom_set ? "phantom-" : "") +
                                       inf::taskName(task));
  m.version = args.value("version").value_or("1.0.0");
  m.provenance.synthetic = data.phantom_set;
  m.provenance.training_data = data.phantom_set ? "trained on synthetic phantoms (LungLens phantom generator), not "
                                                  "patients"
                                : data.canonical ? datasetNote(data)
                                                : "image slices listed in " + data.csv.filename().string();
  m.provenance.date = todayUtc();
  return m;
}

nlohmann::json historyJson(const tr::TrainResult& result) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const auto& e : result.history)
    epochs.push_back({{"epoch", e.epoch}, {"backbone_frozen", e.backbone_frozen}, {"learning_rate", e.learning_rate},
                      {"train_loss", e.train_loss}, {"validation_loss", e.validation_loss},
                      {"validation_accuracy", e.validation_accuracy}});
  return epochs;
}

int runTrain(const std::vector<std::string>& argv) {
  const Args args(argv,
                  {"data", "task", "arch", "init", "input-size", "epochs", "batch", "lr", "optimizer",
                   "warmup-epochs", "seed", "out", "resume", "checkpoints", "threads", "patience", "max-batches",
                   "name", "version", "bootstrap", "min-finding-mm2", "balance"},
                  {"overwrite", "no-augment"});
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
  const inf::Task task = parseTask(args.require("task"));
  const tr::Architecture arch = tr::parseArchitecture(args.value("arch").value_or("mobilenet_v2"));
  const auto seed = static_cast<std::uint64_t>(args.intValue("seed", 42));
  const int threads = args.intValue("threads", 0) > 0 ? args.intValue("threads", 0) : core::defaultThreadCount();
  inf::configureInferenceThreads(threads);
  tr::TrainOptions options = trainOptions(args, seed);

  const double min_finding_mm2 = args.doubleValue("min-finding-mm2", 0.0);
  if (!(min_finding_mm2 >= 0)) throw UsageError("--min-finding-mm2 must be a number, 0 or more");
  const TrainingData data = readTrainingData(args.require("data"), task, min_finding_mm2);
  const tr::NetworkSpec spec = networkSpec(args, arch, static_cast<int>(data.dataset.classes.size()), seed);
  inf::Manifest manifest = baseManifest(args, task, data, spec);
  const fs::path out = args.value("out").value_or(manifest.name);
  if (fs::exists(out / "manifest.json") && !args.flag("overwrite"))
    throw core::InputError(out.string(), "a bundle is already there (--overwrite replaces it)");

  // Checkpoints and the split live beside the bundle; --resume names that folder and reuses its split.
  const auto resume = args.value("resume");
  options.checkpoint_dir = resume ? fs::path(*resume) : fs::path(args.value("checkpoints").value_or(out.string() +
                                                                                                   ".checkpoints"));
  options.resume = resume.has_value();
  tr::SubjectSplit split;
  if (resume) {
    split = tr::readSplitJson(options.checkpoint_dir / "split.json");  // asserts disjointness
  } else {
    split = tr::splitSubjects(data.dataset.subjectLabels(), seed);
    tr::checkDisjoint(split, "split");
    fs::create_directories(options.checkpoint_dir);
    tr::writeSplitJson(options.checkpoint_dir / "split.json", split);
  }
  // An imported dataset is read from its preprocessed cache (decoded once, core/datasets/slice_cache.h).
  const tr::LoadedSlices train = loadForTraining(data, data.dataset.subset(split.train), manifest.input);
  const tr::LoadedSlices validation = loadForTraining(data, data.dataset.subset(split.validation), manifest.input);
  const tr::Dataset test = data.dataset.subset(split.test);
  std::cerr << "train: " << inf::taskName(task) << ", " << tr::architectureName(arch) << " at "
            << manifest.input.width << " px, " << threads << (threads == 1 ? " thread" : " threads")
            << "; subjects " << split.train.size() << "/"
            << split.validation.size() << "/" << split.test.size() << " (train/validation/test), slices "
            << train.size() << "/" << validation.size() << "/" << test.samples.size() << "\n";
  if (min_finding_mm2 > 0)
    std::cerr << "train: " << data.dataset.trace_samples.size() << " slices with a finding under " << min_finding_mm2
              << " mm² set aside as traces (" << test.trace_samples.size() << " of them in the test split)\n";

  auto net = tr::createNetwork(spec);
  const int per_epoch_images = options.max_batches_per_epoch > 0
                                   ? std::min<int>(static_cast<int>(train.size()),
                                                   options.max_batches_per_epoch * options.batch_size)
                                   : static_cast<int>(train.size());
  auto last = std::chrono::steady_clock::now();
  std::vector<double> images_per_s;
  options.progress = [&](const std::string& line) {
    if (line.rfind("epoch ", 0) != 0) {  // resume / early-stop notes
      std::cerr << line << "\n";
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - last).count();
    last = now;
    images_per_s.push_back(per_epoch_images / std::max(s, 1e-9));
    std::cerr << line << "  [" << std::fixed << std::setprecision(1) << images_per_s.back()
              << " train images/s incl. validation]\n"
              << std::defaultfloat;
  };
  const auto started = std::chrono::steady_clock::now();
  const tr::TrainResult result = tr::trainClassifier(*net, train, validation, manifest.input, options);
  const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  tr::writeBundle(*net, manifest, out, args.flag("overwrite"));
  tr::writeSplitJson(out / "split.json", split);
  nlohmann::json training = {
      {"data", data.csv.string()},
      {"phantom_set", data.phantom_set},
      {"dataset", data.canonical ? nlohmann::json{{"name", data.canonical->name},
                                                  {"format", data.canonical->format},
                                                  {"licence", data.canonical->licence},
                                                  {"citation", data.canonical->citation},
                                                  {"source", data.canonical->source}}
                                 : nlohmann::json()},
      {"architecture", tr::architectureName(arch)},
      {"init", args.value("init").value_or(arch == tr::Architecture::MobileNetV2 ? "tflite" : "random")},
      {"input_size", manifest.input.width},
      {"epochs", options.epochs},
      {"batch", options.batch_size},
      {"learning_rate", options.learning_rate},
      {"optimizer", options.optimizer == tr::OptimizerKind::AdamW ? "adamw" : "sgd"},
      {"warmup_epochs", options.warmup_epochs},
      {"patience", options.patience},
      {"seed", seed},
      {"threads", threads},
      {"train_slices", train.size()},
      {"validation_slices", validation.size()},
      {"min_finding_area_mm2", min_finding_mm2},
      {"trace_slices_left_out", {{"train", data.dataset.subset(split.train).trace_samples.size()},
                                 {"validation", data.dataset.subset(split.validation).trace_samples.size()},
                                 {"test", test.trace_samples.size()}}},
      {"class_balance", tr::classBalanceName(options.class_balance)},
      {"best_epoch", result.best_epoch},
      {"best_validation_loss", result.best_validation_loss},
      {"stopped_early", result.stopped_early},
      {"training_seconds", train_s},
      {"history", historyJson(result)}};
  core::writeFileAtomically(out / "training.json", training.dump(2) + "\n", true);
  std::cerr << "train: wrote the bundle " << out.string() << " (best epoch " << result.best_epoch << ", "
            << static_cast<int>(train_s) << " s)\n";

  if (test.samples.empty()) {
    std::cerr << "train: the test split is empty; no evaluation\n";
    return kOk;
  }
  BundleEvaluationOptions eo;
  eo.split_name = "test";
  eo.synthetic = data.phantom_set;
  eo.bootstrap_iterations = args.intValue("bootstrap", 1000);
  eo.dataset_note = datasetNote(data);
  eo.cached_input = cachedInputs(data, manifest.input);
  const BundleEvaluation eval = evaluateBundle(out, test, out, eo);

  // The headline numbers go into the manifest (model.pt, and so its sha256, is unchanged).
  const auto slice = core::metrics::scalars(eval.slice_level);
  const auto subject = core::metrics::scalars(eval.subject_level);
  nlohmann::json metrics = {{"split", "test"},
                            {"test_slices", eval.slices},
                            {"test_subjects", eval.subjects},
                            {"slice_accuracy", slice.at("accuracy")},
                            {"slice_macro_auc", slice.at("macro_auc")},
                            {"subject_accuracy", subject.at("accuracy")}};
  if (eval.trace_slices > 0) {
    metrics["min_finding_area_mm2"] = min_finding_mm2;
    metrics["trace_slices"] = eval.trace_slices;
    metrics["slice_accuracy_including_traces"] = eval.accuracy_including_traces;
  }
  if (slice.count("covid_vs_rest.auc")) metrics["slice_auc_covid"] = slice.at("covid_vs_rest.auc");
  manifest = inf::readManifest(out);
  manifest.provenance.metrics_json = metrics.dump();
  core::writeFileAtomically(out / "manifest.json", inf::manifestToJson(manifest), true);
  inf::Model::load(out);  // the final bundle still validates
  std::cout << eval.markdown;
  return kOk;
}

const RegisterCommand reg{
    {"train",
     "train --data DATASET_DIR|DIR|FILE.csv --task diagnosis|manifestation [--arch resnet18|resnet34|resnet50|mobilenet_v2] "
     "[--init tflite|random|FILE] [--input-size 224] [--epochs 30] [--batch 16] [--lr 3e-4] [--optimizer sgd|adamw] "
     "[--warmup-epochs 2] [--patience 5] [--seed 42] [--out BUNDLE_DIR] [--checkpoints DIR] [--resume CHECKPOINT_DIR] "
     "[--threads N] [--max-batches N] [--name NAME] [--version V] [--bootstrap 1000] [--no-augment] [--overwrite] "
     "[--balance inverse|sqrt|none] [--min-finding-mm2 A]",
     "fine-tune a CNN on an imported dataset, a phantom set or an image CSV (subject-level split), write a model bundle and its test-split "
     "evaluation",
     &runTrain}};

}  // namespace
}  // namespace lunglens::cli
