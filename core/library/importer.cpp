#include "core/library/importer.h"

#include <algorithm>
#include <map>

#include "core/common/error.h"
#include "core/dicom/scan.h"

namespace lunglens::core::library {
namespace {

namespace fs = std::filesystem;

struct PendingStudy {
  std::string study_uid, study_date;
  fs::path root;
  std::vector<const dicom::SeriesInfo*> series;
};

// The deepest folder holding every file of the study (the study's own folder when one was scanned among many).
fs::path studyFolder(const PendingStudy& pending) {
  fs::path common;
  for (const dicom::SeriesInfo* s : pending.series)
    for (const auto& ref : s->slices) {
      const fs::path folder = fs::path(ref.path).parent_path();
      if (common.empty()) {
        common = folder;
        continue;
      }
      fs::path shared;
      for (auto a = common.begin(), b = folder.begin(); a != common.end() && b != folder.end() && *a == *b; ++a, ++b)
        shared /= *a;
      common = shared;
    }
  return common.empty() ? pending.root : common;
}

void notify(const ImportOptions& options, const ImportEvent& event) {
  if (options.on_event) options.on_event(event);
}

// Studies in the order first met; a study spread over several roots is still one study.
void group(const dicom::Catalog& catalog, const fs::path& root, std::vector<PendingStudy>& studies,
           std::map<std::string, std::size_t>& index) {
  for (const auto& s : catalog.series) {
    auto [it, inserted] = index.emplace(s.study_uid, studies.size());
    if (inserted) studies.push_back({s.study_uid, s.study_date, root, {}});
    auto& list = studies[it->second].series;
    // The same series reached through two roots (a folder and its parent) is imported once.
    if (std::none_of(list.begin(), list.end(), [&](const auto* x) { return x->series_uid == s.series_uid; }))
      list.push_back(&s);
  }
}

// This worker's share (options.shard_index of shard_count, by sorted study UID), less what is already imported.
std::vector<PendingStudy> selectStudies(CaseLibrary& library, std::vector<PendingStudy> studies,
                                        const ImportOptions& options, ImportSummary& summary) {
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw InputError("--shard", "shard " + std::to_string(options.shard_index + 1) + " of " +
                                    std::to_string(options.shard_count) + " does not exist");
  std::vector<PendingStudy> chosen;
  if (options.shard_count > 1) {
    std::vector<const PendingStudy*> sorted;
    for (const auto& s : studies) sorted.push_back(&s);
    std::sort(sorted.begin(), sorted.end(),
              [](const PendingStudy* a, const PendingStudy* b) { return a->study_uid < b->study_uid; });
    std::vector<std::string> mine;
    for (size_t i = static_cast<size_t>(options.shard_index); i < sorted.size();
         i += static_cast<size_t>(options.shard_count))
      mine.push_back(sorted[i]->study_uid);
    for (auto& s : studies)  // keep the scan order among this worker's studies
      if (std::find(mine.begin(), mine.end(), s.study_uid) != mine.end()) chosen.push_back(std::move(s));
    summary.other_shards = static_cast<int>(studies.size() - chosen.size());
  } else {
    chosen = std::move(studies);
  }
  if (!options.skip_imported) return chosen;
  std::vector<PendingStudy> todo;
  for (auto& s : chosen) {
    const auto known = library.study(s.study_uid);
    if (known && known->series_count == static_cast<int>(s.series.size())) ++summary.already_imported;
    else todo.push_back(std::move(s));
  }
  return todo;
}

ImportSummary importStudies(CaseLibrary& library, SeriesClassifier& classifier,
                            const std::vector<PendingStudy>& all_studies, const ImportOptions& options) {
  ImportSummary summary;
  const std::vector<PendingStudy> studies = selectStudies(library, all_studies, options, summary);
  summary.scored = classifier.scores();
  const int total = static_cast<int>(studies.size());
  notify(options, {ImportEvent::Kind::Scanned, "", "", 0, total, 0, 0, ""});
  for (const PendingStudy& pending : studies) {
    options.cancel.throwIfCancelled();
    ImportEvent base;
    base.study_uid = pending.study_uid;
    base.studies_done = summary.imported + summary.failed;
    base.studies_total = total;
    try {
      StudyRecord record;
      record.study_uid = pending.study_uid;
      record.study_date = pending.study_date;
      record.root = studyFolder(pending).string();
      for (const dicom::SeriesInfo* s : pending.series) {
        record.series.push_back(classifier.classify(*s, options.cancel, [&](int done, int slices) {
          ImportEvent e = base;
          e.kind = ImportEvent::Kind::SeriesProgress;
          e.slices_done = done;
          e.slices_total = slices;
          notify(options, e);
        }));
      }
      // Cancelled after the last series was scored: do not commit half an intention.
      options.cancel.throwIfCancelled();
      const StudySummary written = library.writeStudy(record);
      ++summary.imported;
      summary.labels.push_back(written.label);
      ImportEvent e = base;
      e.kind = ImportEvent::Kind::StudyImported;
      e.study_label = written.label;
      e.studies_done = summary.imported + summary.failed;
      e.slices_total = written.slice_count;
      notify(options, e);
    } catch (const InputError& error) {
      ++summary.failed;
      ImportEvent e = base;
      e.kind = ImportEvent::Kind::StudyFailed;
      e.studies_done = summary.imported + summary.failed;
      e.message = error.what();
      notify(options, e);
    }
  }
  return summary;
}

}  // namespace

ImportSummary importFolders(CaseLibrary& library, SeriesClassifier& classifier, const std::vector<fs::path>& roots,
                            const ImportOptions& options) {
  std::vector<dicom::Catalog> catalogs;
  std::vector<PendingStudy> studies;
  std::map<std::string, std::size_t> index;
  catalogs.reserve(roots.size());  // `studies` points into the catalogs
  std::vector<std::string> skipped;
  for (const fs::path& root : roots) {
    if (!fs::exists(root)) throw InputError(root.string(), "no such file or folder");
    const fs::path absolute = fs::absolute(root).lexically_normal();
    dicom::ScanOptions scan;
    scan.threads = options.threads;
    scan.cancel = options.cancel;
    catalogs.push_back(dicom::scan(absolute, scan));
    for (const auto& s : catalogs.back().skipped) skipped.push_back(s.path + ": " + s.reason);
    group(catalogs.back(), absolute, studies, index);
  }
  ImportSummary summary = importStudies(library, classifier, studies, options);
  summary.skipped_files = std::move(skipped);
  return summary;
}

ImportSummary importCatalog(CaseLibrary& library, SeriesClassifier& classifier, const dicom::Catalog& catalog,
                            const fs::path& root, const ImportOptions& options) {
  std::vector<PendingStudy> studies;
  std::map<std::string, std::size_t> index;
  group(catalog, fs::absolute(root).lexically_normal(), studies, index);
  return importStudies(library, classifier, studies, options);
}

}  // namespace lunglens::core::library
