#pragma once
// The case library in the main window: a "Library" menu (import a folder or the study being viewed, in the
// background with progress and cancel; show the gallery; presentation mode), the gallery dock, and the full-screen
// presentation window. The main window only creates this and opens what openRequested asks for.
#include <QObject>
#include <QString>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/dicom/series.h"

class QDockWidget;
class QMainWindow;
class QMenu;

namespace lunglens::ui::teaching {

class GalleryModel;
class GalleryView;
class LibraryImportJob;
class PresentationWindow;
class QuizModel;

class LibraryController : public QObject {
  Q_OBJECT
 public:
  // `file`: the library (default: core::library::CaseLibrary::defaultFile()). `currentStudy` returns the series
  // of the study open in the viewer (for "Import Current Study"); may be empty.
  LibraryController(QMainWindow* window, const std::filesystem::path& file,
                    std::function<std::vector<core::dicom::SeriesInfo>()> currentStudy);
  ~LibraryController() override;
  // As the constructor, but a library that cannot be opened (unwritable folder, damaged file) gives nullptr and the
  // reason in `error` instead of an exception: the viewer then works without the library.
  static LibraryController* create(QMainWindow* window, const std::filesystem::path& file,
                                   std::function<std::vector<core::dicom::SeriesInfo>()> currentStudy,
                                   QString* error);

  GalleryModel& gallery() const { return *gallery_; }
  GalleryView& galleryView() const { return *view_; }
  QDockWidget& dock() const { return *dock_; }
  QuizModel& quiz() const { return *quiz_; }
  PresentationWindow* presentation() const { return presentation_; }

  void showGallery();
  void importFolders(const QStringList& folders);
  // Full screen on the gallery's items, starting at `row`.
  void present(int row = 0);

 signals:
  void openRequested(const QString& folder, const QString& series_uid, int slice);
  void message(const QString& text);

 private:
  QMainWindow* window_;
  GalleryModel* gallery_;
  GalleryView* view_;
  QDockWidget* dock_;
  QuizModel* quiz_;
  LibraryImportJob* import_;
  PresentationWindow* presentation_ = nullptr;
  std::function<std::vector<core::dicom::SeriesInfo>()> currentStudy_;
};

}  // namespace lunglens::ui::teaching
