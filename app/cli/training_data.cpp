#include "app/cli/training_data.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "core/common/error.h"
#include "core/common/paths.h"

namespace lunglens::cli {

namespace fs = std::filesystem;
namespace tr = core::training;

namespace {

std::string firstLine(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw core::InputError(file.string(), "cannot open the labels CSV");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF) line = line.substr(3);  // UTF-8 BOM
  return line;
}

}  // namespace

TrainingData readTrainingData(const fs::path& path, core::inference::Task task, double min_finding_area_mm2) {
  TrainingData out;
  if (core::datasets::isDatasetDir(path)) {
    if (min_finding_area_mm2 > 0)
      throw core::InputError(path.string(), "--min-finding-mm2 needs a phantom set; an imported dataset has none");
    out.dataset_dir = path;
    out.csv = path / core::datasets::kManifestFile;
    out.canonical = core::datasets::readDataset(path);
    out.dataset = core::datasets::toTrainingDataset(*out.canonical, path, task);
    if (out.dataset.samples.empty())
      throw core::InputError(out.csv.string(), task == core::inference::Task::Manifestation
                                                   ? "no covid slices with manifestation masks (a manifestation "
                                                     "model needs a format with masks: nifti-masks with "
                                                     "--mask-values, cc-ccii's lesion subset)"
                                                   : "no slices");
    return out;
  }
  out.csv = fs::is_directory(path) ? path / "labels.csv" : path;
  if (!fs::is_regular_file(out.csv))
    throw core::InputError(path.string(), "expected a dataset folder (with dataset.json, from `dataset import`), a "
                                          "phantom set folder (with labels.csv) or a CSV file (path,subject_id,label)");
  const std::string header = firstLine(out.csv);
  if (header.rfind("subject_id,series_path,", 0) == 0) {
    out.phantom_set = true;
    out.dataset = tr::readPhantomSet(out.csv, task, min_finding_area_mm2);
  } else if (header.rfind("path,subject_id,label", 0) == 0) {
    if (min_finding_area_mm2 > 0)
      throw core::InputError(out.csv.string(), "--min-finding-mm2 needs a phantom set (finding areas come from "
                                               "its labels.csv); an image CSV has none");
    out.dataset = tr::readImageCsv(out.csv, core::inference::taskClasses(task));
  } else {
    throw core::InputError(out.csv.string(), "unknown header '" + header +
                                                 "': expected a phantom set's labels.csv or path,subject_id,label");
  }
  if (out.dataset.samples.empty()) throw core::InputError(out.csv.string(), "no slices for this task");
  return out;
}

std::string datasetNote(const TrainingData& data) {
  if (!data.canonical) return "";
  return "dataset " + data.canonical->name + " (imported from the " + data.canonical->format +
         " layout), licence: " + data.canonical->licence;
}

namespace {

std::shared_ptr<const core::datasets::SliceCache> openCache(const TrainingData& data,
                                                           const core::inference::InputSpec& spec) {
  core::datasets::CacheOptions options;
  options.threads = 1;
  options.progress = [](int done, int total) {
    std::cerr << "\rdataset cache: " << done << "/" << total << " slices decoded" << (done == total ? "\n" : "")
              << std::flush;
  };
  return core::datasets::SliceCache::open(data.dataset_dir, *data.canonical, spec, options);
}

}  // namespace

tr::LoadedSlices loadForTraining(const TrainingData& data, const tr::Dataset& subset,
                                 const core::inference::InputSpec& spec) {
  if (!data.canonical) return tr::loadAll(subset);
  return openCache(data, spec)->load(subset);
}

std::function<bool(const tr::SliceSample&, float*)> cachedInputs(const TrainingData& data,
                                                                 const core::inference::InputSpec& spec) {
  if (!data.canonical) return {};
  const auto cache = openCache(data, spec);
  return [cache, spec](const tr::SliceSample& sample, float* out) {
    if (sample.cache_index < 0) return false;
    cache->normalise(static_cast<std::size_t>(sample.cache_index), spec, out);
    return true;
  };
}

std::vector<std::string> subjectsOfSplit(const tr::SubjectSplit& split, const std::string& name,
                                         const tr::Dataset& data) {
  if (name == "train") return split.train;
  if (name == "validation") return split.validation;
  if (name == "test") return split.test;
  if (name == "all") {
    std::vector<std::string> ids;
    for (const auto& [id, label] : data.subjectLabels()) ids.push_back(id);
    return ids;
  }
  throw core::InputError("--split", "'" + name + "' is not train, validation, test or all");
}

fs::path defaultTfliteWeights() {
  const fs::path leaf = fs::path("pretrained") / "mobilenet_v2_1.0_224_quant.tflite";
  std::vector<fs::path> tried;
  if (const char* env = std::getenv("LUNGLENS_PRETRAINED_DIR")) tried.push_back(fs::path(env) / leaf.filename());
  for (fs::path dir = core::executableDir(); !dir.empty(); dir = dir.parent_path()) {
    tried.push_back(dir / "shared" / "data" / leaf);
    if (dir == dir.root_path()) break;
  }
  for (const auto& candidate : tried)
    if (fs::is_regular_file(candidate)) return candidate;
  throw core::InputError("--init tflite", "mobilenet_v2_1.0_224_quant.tflite not found (set LUNGLENS_PRETRAINED_DIR "
                                          "or pass --init FILE); looked in " +
                                              (tried.empty() ? std::string("nothing") : tried.front().string()) +
                                              " and shared/data/pretrained above the executable");
}

}  // namespace lunglens::cli
