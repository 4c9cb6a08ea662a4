#include "ui/teaching/library_controller.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QListView>
#include <QMainWindow>
#include <QMenuBar>

#include "ui/teaching/gallery_model.h"
#include "ui/teaching/gallery_view.h"
#include "ui/teaching/library_import_job.h"
#include "ui/teaching/presentation_window.h"
#include "ui/teaching/quiz_model.h"

namespace lunglens::ui::teaching {

LibraryController::LibraryController(QMainWindow* window, const std::filesystem::path& file,
                                     std::function<std::vector<core::dicom::SeriesInfo>()> currentStudy)
    : QObject(window), window_(window), currentStudy_(std::move(currentStudy)) {
  gallery_ = new GalleryModel(file, this);
  view_ = new GalleryView(gallery_);
  dock_ = new QDockWidget(tr("Case library"), window);
  dock_->setObjectName("libraryGalleryDock");
  dock_->setWidget(view_);
  window->addDockWidget(Qt::BottomDockWidgetArea, dock_);
  dock_->hide();
  quiz_ = new QuizModel(this);
  import_ = new LibraryImportJob(file, this);

  auto* menu = window->menuBar()->addMenu(tr("&Library"));
  menu->addAction(tr("&Import Folder into Library…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(window_, tr("Import DICOM Folder into the Case Library"));
    if (!dir.isEmpty()) importFolders({dir});
  });
  menu->addAction(tr("Import &Current Study"), this, [this] {
    const auto series = currentStudy_ ? currentStudy_() : std::vector<core::dicom::SeriesInfo>{};
    if (series.empty()) {
      emit message(tr("Library: no study open"));
      return;
    }
    core::dicom::Catalog catalog;
    catalog.series = series;
    import_->startCatalog(std::move(catalog));
  });
  auto* cancel = menu->addAction(tr("Cancel Import"), import_, &LibraryImportJob::cancel);
  menu->addSeparator();
  auto* gallery = menu->addAction(tr("&Gallery"), this, &LibraryController::showGallery);
  gallery->setShortcut(QKeySequence("Ctrl+G"));
  auto* present = menu->addAction(tr("&Presentation Mode"), this, [this] {
    const QModelIndex current = view_->list().currentIndex();
    this->present(current.isValid() ? current.row() : 0);
  });
  present->setShortcut(QKeySequence("F5"));
  connect(menu, &QMenu::aboutToShow, this, [this, cancel] { cancel->setEnabled(import_->busy()); });

  connect(view_, &GalleryView::openRequested, this, &LibraryController::openRequested);
  connect(view_, &GalleryView::presentRequested, this, &LibraryController::present);
  connect(import_, &LibraryImportJob::progress, this, [this](const QString& text) { emit message(text); });
  // Each study is committed on its own: show it as soon as it lands.
  connect(import_, &LibraryImportJob::studyImported, gallery_, &GalleryModel::refresh);
  connect(import_, &LibraryImportJob::finished, this, [this](const QString& text) {
    emit message(text);
    gallery_->refresh();
  });
  connect(import_, &LibraryImportJob::failed, this,
          [this](const QString& text) { emit message(tr("Library import failed: %1").arg(text)); });
}

LibraryController::~LibraryController() { delete presentation_; }

LibraryController* LibraryController::create(QMainWindow* window, const std::filesystem::path& file,
                                             std::function<std::vector<core::dicom::SeriesInfo>()> currentStudy,
                                             QString* error) {
  try {
    return new LibraryController(window, file, std::move(currentStudy));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return nullptr;
  }
}

void LibraryController::showGallery() {
  dock_->show();
  dock_->raise();
  if (gallery_->rowCount() == 0) gallery_->refresh();
}

void LibraryController::importFolders(const QStringList& folders) { import_->start(folders); }

void LibraryController::present(int row) {
  if (gallery_->rowCount() == 0) gallery_->refresh();
  quiz_->setItems(gallery_->items(), row);
  if (!presentation_) {
    presentation_ = new PresentationWindow(quiz_);  // a top-level window of its own
    // Each quiz item is a short stack around its slice (two either side), for students to scroll and window.
    presentation_->setStackSource([this](const core::library::QueryRow& row) { return gallery_->sliceStack(row, 2); });
  }
  presentation_->showFullScreen();
  presentation_->raise();
  presentation_->activateWindow();
}

}  // namespace lunglens::ui::teaching
