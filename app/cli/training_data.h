#pragma once
// The data behind `train` and `evaluate`: a canonical dataset (DIR/dataset.json from `lunglens-cli dataset import`,
// core/datasets), a phantom set (DIR/labels.csv from `lunglens-cli phantom-set`) or an image folder CSV
// (path,subject_id,label), told apart by the file there and the CSV's header, and which subjects a split names.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/datasets/canonical.h"
#include "core/datasets/slice_cache.h"

#include "core/inference/manifest.h"
#include "core/training/dataset.h"
#include "core/training/split.h"

namespace lunglens::cli {

struct TrainingData {
  core::training::Dataset dataset;
  std::filesystem::path csv;  // the labels file read
  bool phantom_set = false;   // true: synthetic phantoms (the manifest's provenance says so)
  std::optional<core::datasets::CanonicalDataset> canonical;  // set for a dataset.json folder
  std::filesystem::path dataset_dir;
};

// "dataset NAME (format FORMAT), licence: ..." for reports and provenance; empty for other data.
std::string datasetNote(const TrainingData& data);

// The slices of `subset` ready for the trainer: from the canonical dataset's preprocessed cache for `spec` (built
// on first use), else decoded into memory as HU (core::training::loadAll).
core::training::LoadedSlices loadForTraining(const TrainingData& data, const core::training::Dataset& subset,
                                             const core::inference::InputSpec& spec);

// For evaluation: a function filling one sample's model input from the cache, or empty for other data.
std::function<bool(const core::training::SliceSample&, float*)> cachedInputs(const TrainingData& data,
                                                                             const core::inference::InputSpec& spec);

// `path`: a folder holding labels.csv, or a CSV file. Throws core::InputError naming the file for anything else.
// min_finding_area_mm2 > 0 (phantom sets only) sets aside trace-finding slices (core/training/dataset.h).
TrainingData readTrainingData(const std::filesystem::path& path, core::inference::Task task,
                              double min_finding_area_mm2 = 0.0);

// The subject ids of split `name` ("train", "validation", "test"; "all": every subject of the data).
std::vector<std::string> subjectsOfSplit(const core::training::SubjectSplit& split, const std::string& name,
                                         const core::training::Dataset& data);

// The default ImageNet MobileNetV2 TFLite file: $LUNGLENS_PRETRAINED_DIR, else shared/data/pretrained found in a
// folder above the executable (the development layout). Throws InputError saying where it looked.
std::filesystem::path defaultTfliteWeights();

}  // namespace lunglens::cli
