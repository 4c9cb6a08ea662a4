#pragma once
// Finding series: scans a folder recursively (or follows a DICOMDIR when present), reading only header tags.
#include <filesystem>
#include <functional>

#include "core/common/cancel.h"
#include "core/dicom/series.h"

namespace lunglens::core::dicom {

struct ScanOptions {
  int threads = 0;                                        // 0 = all cores
  std::function<void(int done, int total)> progress;      // called from worker threads; may be empty
  CancelToken cancel;
};

// Scans `root` (a folder, a DICOMDIR file, or a single DICOM file). Never throws for bad files: they land in
// Catalog::skipped. Throws InputError if `root` does not exist or cannot be read.
Catalog scan(const std::filesystem::path& root, const ScanOptions& options = {});

}  // namespace lunglens::core::dicom
