#pragma once
// Importing into the case library from the GUI: a background job with its own library connection and its own
// classifier (installed model bundles; without them, studies are recorded without AI results), progress and
// cancel. Each study is committed on its own, so the gallery sees studies arrive while the import goes on.
#include <QObject>
#include <QString>
#include <QStringList>
#include <filesystem>

#include "core/library/importer.h"
#include "ui/common/async_job.h"

namespace lunglens::ui::teaching {

class LibraryImportJob : public QObject {
  Q_OBJECT
 public:
  explicit LibraryImportJob(std::filesystem::path library_file, QObject* parent = nullptr);
  ~LibraryImportJob() override;

  void start(const QStringList& folders);
  // The series already scanned (the study open in the viewer).
  void startCatalog(core::dicom::Catalog catalog);
  void cancel() { job_.cancel(); }
  bool busy() const { return job_.busy(); }

 signals:
  void progress(const QString& text, int studies_done, int studies_total);
  void studyImported(const QString& label);
  void finished(const QString& summary);
  void failed(const QString& message);

 private:
  void run(std::function<core::library::ImportSummary(core::library::CaseLibrary&, core::library::SeriesClassifier&,
                                                      const core::library::ImportOptions&)>
               import);

  std::filesystem::path file_;
  AsyncJob<core::library::ImportSummary, core::library::ImportEvent> job_{this};
};

}  // namespace lunglens::ui::teaching
