#pragma once
// Importing studies into the case library: scan folders (recursively, many studies), classify every series
// headless, and write each study in its own transaction, reporting progress as it goes. A crash or kill mid-import
// loses nothing already imported and leaves no half-written study; re-importing updates, never duplicates.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/common/cancel.h"
#include "core/dicom/series.h"
#include "core/library/case_library.h"
#include "core/library/series_classifier.h"

namespace lunglens::core::library {

struct ImportEvent {
  enum class Kind {
    Scanned,         // the folders were scanned: studies_total is known
    SeriesProgress,  // slices_done of slices_total of the current series were scored
    StudyImported,   // the study is committed: it is in the library for good
    StudyFailed,     // the study could not be imported (message says why); the import goes on
  };
  Kind kind = Kind::Scanned;
  std::string study_uid, study_label;  // label once imported
  int studies_done = 0, studies_total = 0;
  int slices_done = 0, slices_total = 0;
  std::string message;
};

struct ImportOptions {
  CancelToken cancel;
  int threads = 0;  // decoding threads; 0 = all cores
  // Called on the importing thread (SeriesProgress: on the engine's thread). May be empty.
  std::function<void(const ImportEvent&)> on_event;
  // Sharded scoring of an archive by N workers (`library import --shard I/N`, docs/SCALING.md): the studies found
  // are sorted by study UID and this worker takes every shard_count-th from shard_index (0-based), so N workers
  // over the same folders share them out exactly, whatever order their scans found them in. All write into one
  // library (SQLite WAL; each study is one IMMEDIATE transaction, a busy writer is waited for).
  int shard_index = 0, shard_count = 1;
  // Leave out studies the library already holds with as many series as found now (a re-run after a stop or a
  // crash scores only what is missing). Off: a re-import updates them in place.
  bool skip_imported = false;
};

struct ImportSummary {
  int imported = 0, failed = 0;
  int already_imported = 0;  // left out by skip_imported
  int other_shards = 0;      // studies found that other shards score
  bool scored = false;  // the classifier had a diagnosis model
  std::vector<std::string> labels;  // of the imported studies, in order
  std::vector<std::string> skipped_files;  // "path: reason" from the scans
};

// Scans `roots` (folders, DICOMDIRs or files; made absolute) and imports every study found. Throws InputError if a
// root does not exist, Cancelled when cancelled (studies committed before that stay).
ImportSummary importFolders(CaseLibrary& library, SeriesClassifier& classifier,
                            const std::vector<std::filesystem::path>& roots, const ImportOptions& options = {});

// Imports the series of an already scanned catalog (e.g. the study open in the viewer), grouped by study.
ImportSummary importCatalog(CaseLibrary& library, SeriesClassifier& classifier, const dicom::Catalog& catalog,
                            const std::filesystem::path& root, const ImportOptions& options = {});

}  // namespace lunglens::core::library
