#pragma once
// The canonical dataset: what `lunglens-cli dataset import` writes and `train`, `evaluate` and the case library
// read, whatever layout the data came in (docs/TRAINING.md, "Train a model on real data").
//
// DATASET_DIR/dataset.json lists subjects -> series -> slices with their labels, where the pixels are (files under
// the source folder the import read; the pixels are not copied), and the dataset's provenance and licence text.
// Subject ids are kept as the source names them, so the 70/15/15 split (core/training/split.h) stays
// subject-level. DATASET_DIR/cache/ holds the preprocessed slices (slice_cache.h). Torch-free.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/inference/manifest.h"
#include "core/training/dataset.h"

namespace lunglens::core::datasets {

inline constexpr const char* kManifestFile = "dataset.json";
inline constexpr int kSchemaVersion = 1;

struct CanonicalSlice {
  std::string file;  // relative to the dataset's source folder (or absolute)
  int frame = -1;    // the slice of a NIfTI volume; -1: the file is one slice (DICOM, PNG, JPEG)
  std::string label;  // a diagnosis class: covid, other_pneumonia, normal
  int instance_number = 0;  // DICOM InstanceNumber, else the 1-based position in its series
  std::string sop_instance_uid;
  // From masks, where the source has them: each manifestation's share of the slice's labelled finding
  // (ggo, consolidation, fibrotic_streaks) and the finding's area on the slice.
  std::optional<std::array<double, 3>> manifestation;
  double finding_area_mm2 = -1.0;  // -1: unknown
};

struct CanonicalSeries {
  std::string uid;   // SeriesInstanceUID, or the source's scan/volume name
  std::string path;  // its folder or volume file, relative to the source
  int rows = 0, cols = 0;
  std::array<double, 3> spacing_mm{0, 0, 0};  // column, row, slice spacing (0: unknown, e.g. 8-bit images)
  std::vector<CanonicalSlice> slices;         // in slice order (most inferior first where known)
};

struct CanonicalSubject {
  std::string id;
  std::string label;  // the subject's class: stratifies the split
  std::vector<CanonicalSeries> series;
};

struct CanonicalDataset {
  std::string name;
  std::string format;  // the importer: dicom-labels, covid-ct-md, cc-ccii, nifti-masks, images-csv
  std::string source;  // absolute path of the folder the import read
  std::string licence;   // licence text as the user must honour it
  std::string citation;  // what to cite
  std::string imported_utc, tool;
  std::vector<std::string> notes;  // what the import left out and why
  std::vector<std::string> classes = inference::taskClasses(inference::Task::Diagnosis);
  std::vector<CanonicalSubject> subjects;

  std::size_t sliceCount() const;
  std::filesystem::path resolve(const std::string& file) const;  // source / file (or file if absolute)
};

std::string toJson(const CanonicalDataset& dataset);
// Reads DATASET_DIR/dataset.json (or the file itself) and validates it. Throws InputError naming the file.
CanonicalDataset readDataset(const std::filesystem::path& dir_or_file);
bool isDatasetDir(const std::filesystem::path& path);

// Structural checks: schema, labels among the classes, unique non-empty subject ids, every subject with slices, a
// subject label that its slices allow (a normal subject has only normal slices), finite fractions. With
// check_files, every referenced file exists. Throws InputError listing every problem.
void validate(const CanonicalDataset& dataset, const std::string& context, bool check_files);

// The training view for a task: diagnosis, every slice with its label; manifestation, covid slices whose mask
// fractions name a largest manifestation (slices without masks are left out). sample.cache_index is the slice's
// position in dataset order (all subjects, series, slices), the cache's index.
training::Dataset toTrainingDataset(const CanonicalDataset& dataset, const std::filesystem::path& dir,
                                    inference::Task task);

}  // namespace lunglens::core::datasets
