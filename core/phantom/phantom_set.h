#pragma once
// A balanced, labelled multi-subject phantom dataset for training and evaluation: one folder per subject (a full
// phantom study) and labels.csv with one row per slice (layout in docs/PHANTOMS.md).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/phantom/generator.h"
#include "core/phantom/params.h"

namespace lunglens::core::phantom {

struct PhantomSetOptions {
  int subjects = 30;
  std::uint64_t seed = 1;
  int slices = 32;            // small-friendly defaults for 224x224 training
  int size = 256;
  double thickness_mm = 0.0;  // 0 = slice spacing
  Kernel kernel = Kernel::Soft;
  int threads = 0;
  std::function<void(int done, int total)> progress;  // called from worker threads, serialised
  // Makes subject i from its parameters; empty = generatePhantom (the stylised phantom). Hybrid sets
  // (core/hybrid/hybrid_set.h) put some subjects on real backgrounds. Called from worker threads.
  std::function<Phantom(int i, const PhantomParams& params)> make_subject;
  CancelToken cancel;
};

// The parameters of subject i (0-based): diagnoses cycle covid, other_pneumonia, normal so every class gets a
// third; severity, manifestation subset and incidental nodules are drawn from the subject's seed.
PhantomParams phantomSetSubject(const PhantomSetOptions& options, int i);
std::string phantomSetSubjectId(int i);  // "subject_0001"

inline constexpr const char* kLabelsCsvHeader =
    "subject_id,series_path,slice_index,slice_file,z_mm,study_label,slice_label,manifestations,"
    "dominant_manifestation,involved_fraction,ggo_fraction,consolidation_fraction,fibrotic_streaks_fraction,"
    "involved_area_mm2";

// Writes the dataset into `out` (created; existing subject folders are overwritten). Returns the labels.csv path.
std::filesystem::path writePhantomSet(const std::filesystem::path& out, const PhantomSetOptions& options);

}  // namespace lunglens::core::phantom
