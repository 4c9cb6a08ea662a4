#include "ui/teaching/library_import_job.h"

#include "core/inference/bundle.h"
#include "core/inference/model.h"

namespace lunglens::ui::teaching {

namespace lib = core::library;
namespace inf = core::inference;

namespace {

// The installed bundles, or none (the library then records the studies without AI results).
std::pair<inf::ModelPtr, inf::ModelPtr> installedModels() {
  inf::ModelPtr diagnosis, manifestation;
  for (const auto& entry : inf::listBundles(inf::modelSearchPath())) {
    if (!entry.manifest) continue;
    try {
      if (entry.manifest->task == inf::Task::Diagnosis && !diagnosis) diagnosis = inf::Model::load(entry.dir);
      if (entry.manifest->task == inf::Task::Manifestation && !manifestation) manifestation = inf::Model::load(entry.dir);
    } catch (const std::exception&) {
      // A broken bundle is skipped; the AI panel reports it.
    }
  }
  return {diagnosis, manifestation};
}

}  // namespace

LibraryImportJob::LibraryImportJob(std::filesystem::path library_file, QObject* parent)
    : QObject(parent), file_(std::move(library_file)) {}

LibraryImportJob::~LibraryImportJob() { job_.cancelAndWait(); }

void LibraryImportJob::start(const QStringList& folders) {
  std::vector<std::filesystem::path> roots;
  for (const QString& f : folders) roots.emplace_back(f.toStdString());
  run([roots](lib::CaseLibrary& library, lib::SeriesClassifier& classifier, const lib::ImportOptions& options) {
    return lib::importFolders(library, classifier, roots, options);
  });
}

void LibraryImportJob::startCatalog(core::dicom::Catalog catalog) {
  std::filesystem::path root;
  if (!catalog.series.empty() && !catalog.series.front().slices.empty())
    root = std::filesystem::path(catalog.series.front().slices.front().path).parent_path();
  run([catalog = std::move(catalog), root](lib::CaseLibrary& library, lib::SeriesClassifier& classifier,
                                           const lib::ImportOptions& options) {
    return lib::importCatalog(library, classifier, catalog, root, options);
  });
}

void LibraryImportJob::run(
    std::function<lib::ImportSummary(lib::CaseLibrary&, lib::SeriesClassifier&, const lib::ImportOptions&)> import) {
  const std::filesystem::path file = file_;
  job_.start(
      [import, file](const core::CancelToken& cancel, const auto& report) {
        lib::CaseLibrary library(file);  // this thread's own connection
        const auto [diagnosis, manifestation] = installedModels();
        lib::SeriesClassifier classifier(diagnosis, manifestation, 0);
        lib::ImportOptions options;
        options.cancel = cancel;
        options.on_event = [&report](const lib::ImportEvent& e) { report(e); };
        return import(library, classifier, options);
      },
      {[this](lib::ImportSummary s) {
         emit finished(tr("Library: %1 studies imported, %2 failed%3")
                           .arg(s.imported)
                           .arg(s.failed)
                           .arg(s.scored ? QString() : tr(" (no AI model installed: recorded without AI results)")));
       },
       [this](const std::string& m) { emit failed(QString::fromStdString(m)); },
       [this](lib::ImportEvent e) {
         using K = lib::ImportEvent::Kind;
         if (e.kind == K::StudyImported) emit studyImported(QString::fromStdString(e.study_label));
         QString text;
         if (e.kind == K::SeriesProgress)
           text = tr("Library import: study %1/%2, %3/%4 slices scored")
                      .arg(e.studies_done + 1).arg(e.studies_total).arg(e.slices_done).arg(e.slices_total);
         else if (e.kind == K::StudyFailed)
           text = tr("Library import: a study failed: %1").arg(QString::fromStdString(e.message));
         else
           text = tr("Library import: %1 of %2 studies").arg(e.studies_done).arg(e.studies_total);
         emit progress(text, e.studies_done, e.studies_total);
       }});
}

}  // namespace lunglens::ui::teaching
