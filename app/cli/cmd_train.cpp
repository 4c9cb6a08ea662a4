// lunglens-cli train: fine-tunes a CNN on a phantom set or an image folder CSV and writes a complete model bundle
// (model.pt without Python, manifest.json, split.json, training.json), then evaluates it on the held-out test
// subjects and keeps that report in the bundle (docs/TRAINING.md).
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "app/cli/args.h"
#include "app/cli/bundle_evaluation.h"
#include "app/cli/command_registry.h"
#include "app/cli/training_data.h"
#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/common/paths.h"
#include "core/inference/model.h"
#include "core/phantom/phantom_set_makeup.h"
#include "core/metrics/classification_report.h"
#include "core/training/bundle_writer.h"
#include "core/training/distributed_trainer.h"
#include "core/training/network_factory.h"
#include "core/training/ood_fit.h"
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
  m.provenance.training_data =
      data.phantom_set
          ? core::phantom::phantomSetTrainingNote(core::phantom::readPhantomSetMakeup(data.csv.parent_path()))
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

// The bundle's OOD guard, fitted on the slices it was trained on (ood_fit.h). A bundle without one still works
// (it says it has no guard), so a data set too small for the fit only costs the guard.
void fitGuard(const fs::path& bundle, const tr::Dataset& train, const tr::Dataset& validation) {
  try {
    const auto model = core::inference::Model::load(bundle);
    const auto guard = tr::fitBundleGuard(*model, train, validation);
    core::inference::writeOodGuard(guard, bundle / "ood_guard.json");
    std::cerr << "train: OOD guard fitted on " << guard.training_slices << " slices (threshold " << guard.threshold
              << ", " << 100.0 * guard.validation_flag_rate << " % of validation slices flagged)\n";
  } catch (const core::InputError& e) {
    std::cerr << "train: no OOD guard for this bundle: " << e.what() << "\n";
  }
}

// --world-size N --rank R --rendezvous URL [--dist-timeout S]: one rank of a data-parallel run (docs/SCALING.md).
std::unique_ptr<tr::DistributedContext> connectIfDistributed(const Args& args) {
  if (!args.value("world-size")) {
    if (args.value("rank") || args.value("rendezvous") || args.value("dist-timeout"))
      throw UsageError("--rank, --rendezvous and --dist-timeout need --world-size");
    return nullptr;
  }
  tr::DistributedOptions o;
  o.world_size = args.intValue("world-size", 1);
  o.rank = args.intValue("rank", 0);
  o.rendezvous = args.value("rendezvous").value_or("");
  o.timeout = std::chrono::seconds(args.intValue("dist-timeout", 40));
  if (o.world_size < 1 || o.rank < 0 || o.rank >= o.world_size)
    throw UsageError("--rank must be in 0..world-size-1 and --world-size at least 1");
  if (o.rendezvous.empty()) throw UsageError("--world-size needs --rendezvous tcp://HOST:PORT or file:///PATH");
  if (o.timeout.count() < 1) throw UsageError("--dist-timeout must be at least 1 (seconds)");
  tr::parseRendezvous(o.rendezvous);  // InputError for a malformed URL, before waiting for anyone
  std::cerr << "train: rank " << o.rank << " of " << o.world_size << " meeting at " << o.rendezvous << "\n";
  return tr::DistributedContext::connect(o);
}

// On resume every rank trains on the split rank 0 saved (only rank 0 needs the checkpoint folder).
tr::SubjectSplit splitFromRoot(tr::DistributedContext& context, const fs::path& file) {
  const auto bytes = context.readOnRoot(file);
  if (!bytes) throw core::InputError(file.string(), "rank 0 has no split.json to resume from");
  if (context.isRoot()) return tr::readSplitJson(file);
  const fs::path local = fs::temp_directory_path() / ("lunglens-split-" + std::to_string(::getpid()) + ".json");
  core::writeFileAtomically(local, *bytes, true);
  tr::SubjectSplit split = tr::readSplitJson(local);
  fs::remove(local);
  return split;
}

int runTrain(const Args& args) {
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
  const std::unique_ptr<tr::DistributedContext> context = connectIfDistributed(args);
  const bool root = !context || context->isRoot();  // rank 0 alone writes the split, checkpoints, bundle, report
  if (root && fs::exists(out / "manifest.json") && !args.flag("overwrite"))
    throw core::InputError(out.string(), "a bundle is already there (--overwrite replaces it)");

  // Checkpoints and the split live beside the bundle; --resume names that folder and reuses its split.
  const auto resume = args.value("resume");
  options.checkpoint_dir = resume ? fs::path(*resume) : fs::path(args.value("checkpoints").value_or(out.string() +
                                                                                                   ".checkpoints"));
  options.resume = resume.has_value();
  tr::SubjectSplit split;
  if (resume) {
    split = context ? splitFromRoot(*context, options.checkpoint_dir / "split.json")
                    : tr::readSplitJson(options.checkpoint_dir / "split.json");  // asserts disjointness
  } else {
    split = tr::splitSubjects(data.dataset.subjectLabels(), seed);  // the same on every rank (data, seed)
    tr::checkDisjoint(split, "split");
    if (root) {
      fs::create_directories(options.checkpoint_dir);
      tr::writeSplitJson(options.checkpoint_dir / "split.json", split);
    }
  }
  // An imported dataset is read from its preprocessed cache (decoded once, core/datasets/slice_cache.h).
  const tr::LoadedSlices train = loadForTraining(data, data.dataset.subset(split.train), manifest.input);
  tr::DistributedTraining distributed;
  if (context) {
    distributed.context = context.get();
    for (const auto& sample : data.dataset.subset(split.train).samples) distributed.slice_subjects.push_back(sample.subject_id);
    options.distributed = &distributed;
  }
  const tr::LoadedSlices validation = loadForTraining(data, data.dataset.subset(split.validation), manifest.input);
  const tr::Dataset test = data.dataset.subset(split.test);
  if (context) {
    std::cerr << "train: rank " << context->rank() << " of " << context->worldSize() << ", batch " << options.batch_size
              << " per rank (global " << options.batch_size * context->worldSize() << "), BatchNorm frozen\n";
    // The ranks read their data at different speeds: wait for all of them longer than a collective's timeout.
    context->barrier(std::chrono::seconds(600));
  }
  std::cerr << "train: " << inf::taskName(task) << ", " << tr::architectureName(arch) << " at "
            << manifest.input.width << " px, " << threads << (threads == 1 ? " thread" : " threads")
            << "; subjects " << split.train.size() << "/"
            << split.validation.size() << "/" << split.test.size() << " (train/validation/test), slices "
            << train.size() << "/" << validation.size() << "/" << test.samples.size() << "\n";
  if (min_finding_mm2 > 0)
    std::cerr << "train: " << data.dataset.trace_samples.size() << " slices with a finding under " << min_finding_mm2
              << " mm² set aside as traces (" << test.trace_samples.size() << " of them in the test split)\n";

  auto net = tr::createNetwork(spec);
  const int ranks = context ? context->worldSize() : 1;
  const int per_epoch_images = options.max_batches_per_epoch > 0
                                   ? std::min<int>(static_cast<int>(train.size()),
                                                   options.max_batches_per_epoch * options.batch_size * ranks)
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
  if (!root) {
    std::cerr << "train: rank " << context->rank() << " done (" << static_cast<int>(train_s)
              << " s); rank 0 writes the bundle\n";
    return kOk;
  }

  tr::writeBundle(*net, manifest, out, args.flag("overwrite"));
  tr::writeSplitJson(out / "split.json", split);
  fitGuard(out, data.dataset.subset(split.train), data.dataset.subset(split.validation));
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
      {"world_size", ranks},
      {"global_batch", options.batch_size * ranks},
      {"batch_norm", context ? "frozen (distributed)" : "as the architecture trains it"},
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
    {"train", "",
     "fine-tune a CNN on an imported dataset, a phantom set or an image CSV (subject-level split), write a model bundle and its test-split "
     "evaluation",
     {{"data", "DATASET_DIR|DIR|FILE.csv", "an imported dataset (lunglens-cli dataset import), a phantom set or an image CSV", true},
      {"task", "diagnosis|manifestation", "what the model learns", true},
      {"arch", "resnet18|resnet34|resnet50|mobilenet_v2", "the network (default mobilenet_v2)"},
      {"init", "tflite|random|FILE", "the starting weights (default tflite for mobilenet_v2, else random)"},
      {"input-size", "PX", "the network's input size (default 224)"},
      {"epochs", "N", "training epochs (default 30)"},
      {"batch", "N", "slices per batch (default 16)"},
      {"lr", "RATE", "the learning rate (default 3e-4)"},
      {"optimizer", "sgd|adamw", "the optimizer (default adamw)"},
      {"warmup-epochs", "N", "epochs with the backbone frozen (default 2)"},
      {"patience", "N", "epochs without improvement before stopping early (default 5)"},
      {"seed", "N", "the random seed for the split, initialisation and augmentation (default 42)"},
      {"out", "BUNDLE_DIR", "the bundle to write (default: the model's name)"},
      {"checkpoints", "DIR", "where checkpoints go (default: BUNDLE_DIR.checkpoints)"},
      {"resume", "CHECKPOINT_DIR", "continues a run from its checkpoints"},
      {"threads", "N", "worker threads (default: all cores)"},
      {"max-batches", "N", "stops each epoch after N batches (for smoke runs; default: all)"},
      {"name", "NAME", "the model's name in its manifest"},
      {"version", "V", "the model's version in its manifest (default 1.0.0)"},
      {"bootstrap", "N", "bootstrap iterations for the evaluation's 95% CIs (default 1000)"},
      {"no-augment", "", "trains without augmentation"},
      {"overwrite", "", "replaces an existing bundle at --out"},
      {"balance", "inverse|sqrt|none", "class weighting of the loss (default inverse)"},
      {"min-finding-mm2", "A", "sets aside slices whose findings are smaller than A mm2 (default 0)"},
      {"world-size", "N", "data-parallel training: the number of ranks (processes, docs/SCALING.md)"},
      {"rank", "R", "this process's rank, 0..N-1 (rank 0 writes checkpoints, the bundle and the report)"},
      {"rendezvous", "tcp://HOST:PORT|file:///PATH", "where the ranks meet (c10d TCPStore or FileStore)"},
      {"dist-timeout", "S", "seconds before a lost or hung rank stops the others (default 40)"}},
     &runTrain}};

}  // namespace
}  // namespace lunglens::cli
