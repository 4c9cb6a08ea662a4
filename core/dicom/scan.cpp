#include "core/dicom/scan.h"

#include <algorithm>
#include <atomic>
#include <system_error>

#include "core/common/error.h"
#include "core/common/parallel.h"
#include "core/dicom/dicomdir.h"
#include "core/dicom/file_header.h"
#include "core/dicom/functional_groups.h"
#include "core/dicom/series_builder.h"
#include "core/dicom/slice_eligibility.h"

namespace fs = std::filesystem;

namespace lunglens::core::dicom {
namespace {

std::vector<fs::path> filesUnder(const fs::path& root, const CancelToken& cancel) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) throw InputError(root.string(), "cannot read the folder: " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;  // an unreadable subfolder ends the walk below it, not the scan
    std::error_code typeError;
    if (it->is_regular_file(typeError)) files.push_back(it->path());
    if (files.size() % 1024 == 0) cancel.throwIfCancelled();
  }
  std::sort(files.begin(), files.end());
  return files;
}

void addDicomdirMisses(const fs::path& dicomdir, const DicomdirListing& listing, Catalog& catalog) {
  for (const auto& m : listing.missing) {
    catalog.skipped.push_back({m.string(), "listed in " + dicomdir.string() + " but not found"});
  }
}

bool isDicomdirFile(const fs::path& file) {
  const HeaderResult r = readFileHeader(file);
  return r.header && isDicomdirClass(r.header->sop_class_uid);
}

}  // namespace

Catalog scan(const fs::path& root, const ScanOptions& options) {
  std::error_code ec;
  if (!fs::exists(root, ec)) throw InputError(root.string(), "no such file or folder");
  Catalog catalog;
  std::vector<fs::path> files;
  if (fs::is_directory(root, ec)) {
    files = filesUnder(root, options.cancel);
  } else if (isDicomdirFile(root)) {
    // A DICOMDIR named on its own: scan what it lists (a folder scan reads every file anyway).
    try {
      const DicomdirListing listing = readDicomdir(root);
      catalog.dicomdirs.push_back(root.string());
      addDicomdirMisses(root, listing, catalog);
      files = listing.files;
    } catch (const InputError& e) {
      catalog.skipped.push_back({root.string(), e.what()});
      return catalog;
    }
  } else {
    files = {root};
  }
  Catalog found = scanFiles(files, options);
  catalog.skipped.insert(catalog.skipped.end(), found.skipped.begin(), found.skipped.end());
  catalog.dicomdirs.insert(catalog.dicomdirs.end(), found.dicomdirs.begin(), found.dicomdirs.end());
  catalog.series = std::move(found.series);
  std::sort(catalog.skipped.begin(), catalog.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
  return catalog;
}

Catalog scanFiles(const std::vector<fs::path>& files, const ScanOptions& options) {
  Catalog catalog;
  const int total = static_cast<int>(files.size());
  std::vector<HeaderResult> headers(files.size());
  std::atomic<int> done{0};
  const int threads = options.threads > 0 ? options.threads : defaultThreadCount();
  parallelFor(
      0, total, threads,
      [&](int i) {
        headers[static_cast<std::size_t>(i)] = readFileHeader(files[static_cast<std::size_t>(i)]);
        const int n = ++done;
        if (options.progress) options.progress(n, total);
      },
      options.cancel);

  std::vector<FileHeader> slices;
  for (std::size_t i = 0; i < files.size(); ++i) {
    HeaderResult& r = headers[i];
    if (!r.header) {
      catalog.skipped.push_back({files[i].string(), r.error});
      continue;
    }
    if (isDicomdirClass(r.header->sop_class_uid)) {
      try {
        const DicomdirListing listing = readDicomdir(files[i]);
        catalog.dicomdirs.push_back(files[i].string());
        addDicomdirMisses(files[i], listing, catalog);
      } catch (const InputError& e) {
        catalog.skipped.push_back({files[i].string(), e.what()});
      }
      continue;
    }
    if (std::string why = whyNotASlice(*r.header); !why.empty()) {
      catalog.skipped.push_back({files[i].string(), std::move(why)});
      continue;
    }
    // A multi-frame file becomes one header per frame (a single-frame one stays as it is).
    for (FileHeader& frame : splitFrames(*r.header)) slices.push_back(std::move(frame));
  }
  SeriesBuild built = buildSeries(std::move(slices));
  catalog.series = std::move(built.series);
  catalog.skipped.insert(catalog.skipped.end(), built.skipped.begin(), built.skipped.end());
  std::sort(catalog.skipped.begin(), catalog.skipped.end(),
            [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
  return catalog;
}

}  // namespace lunglens::core::dicom
