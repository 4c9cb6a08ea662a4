#pragma once
// Labelled CT slices for training, from the two layouts LungLens reads (docs/TRAINING.md):
//   - a phantom set (core/phantom, `lunglens-cli phantom-set`): labels.csv with one row per slice, DICOM slices;
//   - an image folder: a CSV `path,subject_id,label` (header required; paths relative to the CSV), PNG/JPEG slices.
// Slices are loaded on demand as HU (loadHu) so a dataset list stays small. Torch-free.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/inference/manifest.h"

namespace lunglens::core::training {

struct SliceSample {
  std::string subject_id;
  int label = 0;               // index into Dataset::classes
  std::filesystem::path file;  // a DICOM file or an 8-bit image
  int slice_index = -1;        // the phantom set's slice_index (0 = most inferior); -1 for an image CSV
  int frame = -1;              // a NIfTI volume's slice (file is .nii/.nii.gz); -1 otherwise
  int cache_index = -1;        // position in a canonical dataset's slice list (its preprocessed cache); -1: none
};

struct Dataset {
  std::vector<std::string> classes;
  std::vector<SliceSample> samples;
  std::map<std::string, std::string> subject_labels;  // per subject: its study label (stratifies the split)
  // Diseased slices left out because their finding was under the minimum area (readPhantomSet): kept aside so an
  // evaluation can still say how the model does on them.
  std::vector<SliceSample> trace_samples;
  double min_finding_area_mm2 = 0.0;
  // A canonical dataset (core/datasets) this was read from: its folder, where the preprocessed cache lives.
  std::filesystem::path canonical_dir;

  std::vector<std::pair<std::string, std::string>> subjectLabels() const;
  // The samples of these subjects only (same classes).
  Dataset subset(const std::vector<std::string>& subject_ids) const;
  std::vector<int> classCounts() const;
};

// Phantom set: labels.csv (header core::phantom::kLabelsCsvHeader). Diagnosis: label = slice_label. Manifestation:
// covid slices with any finding, labelled by the largest of ggo_fraction (crazy paving counts as GGO),
// consolidation_fraction and fibrotic_streaks_fraction; other slices are left out. Throws InputError naming the
// file and line for a missing column, an unknown label or a slice file that does not exist.
// min_finding_area_mm2 > 0 leaves out diseased slices whose finding covers less than that on the slice
// (involved_area_mm2): the ends of a lesion, a few partial-volumed pixels that the slice does not show as a
// finding, would otherwise teach and grade "disease" where the image shows none. They are counted in
// trace_samples. Needs the involved_area_mm2 column (InputError otherwise).
Dataset readPhantomSet(const std::filesystem::path& labels_csv, inference::Task task,
                       double min_finding_area_mm2 = 0.0);

// Image folder CSV. `classes` fixes the label order (empty: the sorted distinct labels); a label outside it is an
// InputError naming the line. A subject's label for stratification is its most frequent slice label.
Dataset readImageCsv(const std::filesystem::path& csv, std::vector<std::string> classes = {});

struct HuSlice {
  int rows = 0, cols = 0;
  std::vector<std::int16_t> hu;  // rows * cols, row-major
};

// DICOM slices in HU as stored; NIfTI slices (frame >= 0) scaled to HU and laid out as axial DICOM
// (core/io/nifti_slice.h; the last volume read is kept per thread, so reading a volume's slices in turn decodes it
// once). 8-bit images are taken as lung-window renderings (W1500/L-600) and mapped back
// linearly: grey g -> -1350 + g * 1500 / 255 HU, so the lung window reproduces the image. Throws InputError.
HuSlice loadHu(const SliceSample& sample);

// Every sample of a dataset loaded into memory, with its label (what the trainer iterates over).
// Either HU slices (`slices`) or images the dataset cache (core/datasets/slice_cache.h) already windowed and
// resized to the model input (`images`: channels x height x width bytes each, byte / 255 = the windowed [0, 1]
// value, pointing into a read-only mapping that images_owner keeps alive); the other vector is empty.
struct LoadedSlices {
  std::vector<HuSlice> slices;
  std::vector<int> labels;
  int num_classes = 0;
  std::vector<const std::uint8_t*> images;
  std::shared_ptr<const void> images_owner;
  int image_channels = 0, image_height = 0, image_width = 0;
  std::size_t size() const { return labels.size(); }
};
LoadedSlices loadAll(const Dataset& data);

}  // namespace lunglens::core::training
