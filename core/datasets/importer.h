#pragma once
// `lunglens-cli dataset import`: reads a public COVID-19 CT dataset in its own layout and writes the canonical
// dataset (canonical.h). Every problem is collected per row (file and line) and reported together; the import
// either writes the whole dataset (built in a temporary folder beside --out, renamed at the end) or nothing.
// Formats and their layouts: formats() and docs/TRAINING.md, "Train a model on real data".
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/datasets/canonical.h"
#include "core/datasets/problems.h"

namespace lunglens::core::datasets {

struct FormatInfo {
  std::string name;
  std::string layout;    // what the importer expects on disk
  std::string fits;      // the public dataset(s) it was written for
  std::string licence;   // the licence of those datasets, written into dataset.json unless --licence is given
  std::string citation;
};
const std::vector<FormatInfo>& formats();
const FormatInfo& formatInfo(const std::string& name);  // InputError listing the formats if unknown

struct ImportOptions {
  std::string format;
  std::filesystem::path source;  // the downloaded dataset's folder
  std::filesystem::path out;     // DATASET_DIR
  std::filesystem::path labels;  // dicom-labels: labels CSV; images-csv: the CSV; covid-ct-md: index CSV
  std::filesystem::path slice_labels;  // covid-ct-md: the slice-level label array (.npy or .csv)
  std::string name;                    // default: the source folder's name
  std::string licence, citation;       // override the format's defaults (another dataset in the same layout)
  bool overwrite = false;
  bool allow_uneven_spacing = false;   // DICOM series with gaps/uneven spacing become notes, not problems
  // nifti-masks
  std::string images_dir, masks_dir;     // sub-folders of source (default: found by name)
  std::map<int, int> mask_manifestation; // mask value -> 0 ggo, 1 consolidation, 2 fibrotic_streaks
  int min_finding_pixels = 1;            // a slice is covid from this many infection pixels on
  int threads = 0;
  std::function<void(const std::string& line)> progress;
};

// Imports and writes options.out; returns what was written. Throws InputError listing every problem (nothing is
// written then), or naming --out if it exists and overwrite is false.
CanonicalDataset importDataset(const ImportOptions& options);

// The importers (one file each): fill `dataset` (subjects, notes) or add problems.
void importDicomLabels(const ImportOptions& options, CanonicalDataset& dataset, Problems& problems);
void importCovidCtMd(const ImportOptions& options, CanonicalDataset& dataset, Problems& problems);
void importCcCcii(const ImportOptions& options, CanonicalDataset& dataset, Problems& problems);
void importNiftiMasks(const ImportOptions& options, CanonicalDataset& dataset, Problems& problems);
void importImagesCsv(const ImportOptions& options, CanonicalDataset& dataset, Problems& problems);

// Shared by importers: a label as the sources spell it (COVID-19, NCP, CAP, CP, Normal, ...) -> covid,
// other_pneumonia or normal; empty if unknown.
std::string canonicalLabel(const std::string& text);
// Relative path of `file` under `root` (generic form), for dataset.json.
std::string relativeTo(const std::filesystem::path& file, const std::filesystem::path& root);

}  // namespace lunglens::core::datasets
