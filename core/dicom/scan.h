#pragma once
// Finding series: scans a folder recursively (or follows a DICOMDIR when present), reading only header tags.
#include <filesystem>
#include <functional>
#include <vector>

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

// The same for a given list of files (e.g. those of a retrieval that has arrived so far). Never throws for bad
// files; DICOMDIRs among them are read as indexes but not followed.
Catalog scanFiles(const std::vector<std::filesystem::path>& files, const ScanOptions& options = {});

}  // namespace lunglens::core::dicom
