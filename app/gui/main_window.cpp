#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <cmath>

#include "core/common/error.h"
#include "app/gui/demo_study.h"
#include "core/dicom/scan.h"
#include "core/library/case_library.h"
#include "ui/ai/ai_assist.h"
#include "ui/pacs/pacs_dialog.h"
#include "ui/annotate/annotation_tools.h"
#include "ui/mpr/mpr_controller.h"
#include "ui/teaching/library_controller.h"
#include "ui/viewer/series_browser.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/series_loader.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::gui {

using ui::viewer::SeriesListModel;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      viewer_(new ui::viewer::ViewerModel(this)),
      sliceView_(new ui::viewer::SliceView(viewer_)),
      slider_(new QSlider(Qt::Vertical)),
      seriesList_(new SeriesListModel(this)),
      browser_(new ui::viewer::SeriesBrowser(seriesList_)),
      loader_(new ui::viewer::SeriesLoader(this)),
      statusText_(new QLabel),
      progress_(new QProgressBar),
      scan_(this),
      demo_(this) {
  auto* centre = new QWidget;
  auto* layout = new QHBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(sliceView_, 1);
  layout->addWidget(slider_);
  slider_->setEnabled(false);
  slider_->setToolTip(tr("Slice (wheel, arrow keys, Page Up/Down)"));
  setCentralWidget(centre);

  auto* dock = new QDockWidget(tr("Series"), this);
  dock->setObjectName("series-dock");
  dock->setWidget(browser_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  progress_->setMaximumWidth(260);
  progress_->setTextVisible(true);
  progress_->hide();
  statusBar()->addWidget(statusText_, 1);
  statusBar()->addPermanentWidget(progress_);
  statusText_->setText(tr("Open a DICOM folder with File ▸ Open Folder… (Ctrl+O)"));

  buildMenus();
  // The AI assist dock, menu and status (ui/ai): scores the open series in the background.
  ai_ = new ui::ai::AiAssist(viewer_, sliceView_, this);
  connect(ai_, &ui::ai::AiAssist::message, statusText_, &QLabel::setText);
  // Annotation tools, bookmarks and image export (ui/annotate): saved per study, restored on reopening.
  annotate_ = new ui::annotate::AnnotationTools(viewer_, sliceView_, ai_, this);
  connect(annotate_, &ui::annotate::AnnotationTools::message, statusText_, &QLabel::setText);
  // Reformats, reading layouts and comparison (ui/mpr): a Layout menu; the axial viewer stays the first page.
  mpr_ = new ui::mpr::MprController(this, viewer_, loader_, seriesList_, &ai_->scores());
  connect(mpr_, &ui::mpr::MprController::message, statusText_, &QLabel::setText);
  // The case library (ui/teaching): Library menu, gallery dock, presentation mode; double-click opens the slice.
  QString libraryError;
  library_ = ui::teaching::LibraryController::create(this, core::library::CaseLibrary::defaultFile(),
                                                     [this] { return seriesList_->series(); }, &libraryError);
  if (library_) {
    connect(library_, &ui::teaching::LibraryController::message, statusText_, &QLabel::setText);
    connect(library_, &ui::teaching::LibraryController::openRequested, this,
            [this](const QString& folder, const QString& uid, int slice) {
              openPath(folder, OpenRequest{uid.toStdString(), slice, std::nullopt, std::nullopt});
            });
  } else {
    statusText_->setText(tr("Case library unavailable: %1").arg(libraryError));
  }

  // Slider <-> model. The slider's top is the patient's head.
  connect(viewer_, &ui::viewer::ViewerModel::volumeChanged, this, [this]() {
    const QSignalBlocker block(slider_);
    slider_->setEnabled(viewer_->hasVolume());
    slider_->setRange(0, std::max(0, viewer_->sliceCount() - 1));
    slider_->setInvertedAppearance(viewer_->feetwardStep() > 0);
    slider_->setValue(viewer_->slice());
  });
  connect(viewer_, &ui::viewer::ViewerModel::sliceChanged, this, [this](int z) {
    const QSignalBlocker block(slider_);
    slider_->setValue(z);
  });
  connect(slider_, &QSlider::valueChanged, viewer_, &ui::viewer::ViewerModel::setSlice);

  // Browser -> open; loader -> model and progress bar.
  connect(browser_, &ui::viewer::SeriesBrowser::seriesChosen, this, [this](int row) { openSeries(row); });
  connect(loader_, &ui::viewer::SeriesLoader::sliceReady, viewer_, &ui::viewer::ViewerModel::onSliceReady);
  connect(loader_, &ui::viewer::SeriesLoader::progress, this, [this](int ready, int total) {
    progress_->setRange(0, total);
    progress_->setValue(ready);
  });
  connect(loader_, &ui::viewer::SeriesLoader::finished, this, [this](int slices) {
    loading_ = false;
    ai_->seriesLoaded();  // the lung analysis needs every slice
    progress_->hide();
    statusText_->setText(tr("%1 images loaded").arg(slices));
    checkSettled();
  });
  connect(loader_, &ui::viewer::SeriesLoader::failed, this, [this](const QString& message) {
    loading_ = false;
    ai_->seriesLoadFailed(message);
    progress_->hide();
    showError(tr("Could not load the series: %1").arg(message));
    checkSettled();
  });
  connect(seriesList_, &SeriesListModel::thumbnailsDone, this, &MainWindow::checkSettled);

  resize(1600, 1000);
  updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open Folder…"), this, &MainWindow::chooseFolder);
  open->setShortcut(QKeySequence::Open);
  file->addAction(tr("Open from &PACS…"), this, [this]() {
    auto& dialog = pacsDialog();
    dialog.show();
    dialog.raise();
  });
  file->addAction(tr("Open &Demo Study"), this, [this]() { openDemo(); });
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
  quit->setShortcut(QKeySequence::Quit);

  auto* view = menuBar()->addMenu(tr("&View"));
  const struct {
    const char* label;
    const char* key;
    int preset;
  } presets[] = {{"&Lung window (W1500 L-600)", "1", 1},
                 {"&Mediastinum window (W350 L40)", "2", 2},
                 {"&Bone window (W2000 L500)", "3", 3}};
  for (const auto& p : presets) {
    auto* a = view->addAction(tr(p.label), this, [this, n = p.preset]() { viewer_->applyPreset(n); });
    a->setShortcut(QKeySequence(p.key));
    a->setShortcutContext(Qt::ApplicationShortcut);  // also while the series dock floats in its own window
  }
  view->addSeparator();
  auto* reset = view->addAction(tr("&Reset View"), viewer_, &ui::viewer::ViewerModel::resetView);
  reset->setShortcut(QKeySequence("R"));
  reset->setShortcutContext(Qt::ApplicationShortcut);
  auto* overlays = view->addAction(tr("Show &Overlays"));
  overlays->setCheckable(true);
  overlays->setChecked(true);
  overlays->setShortcut(QKeySequence("O"));
  overlays->setShortcutContext(Qt::ApplicationShortcut);
  connect(overlays, &QAction::toggled, sliceView_, &ui::viewer::SliceView::setOverlayVisible);
  hidePatientAction_ = view->addAction(tr("&Hide Patient Data"));
  hidePatientAction_->setCheckable(true);
  hidePatientAction_->setShortcut(QKeySequence("Shift+H"));  // H alone toggles the AI heatmap
  hidePatientAction_->setShortcutContext(Qt::ApplicationShortcut);
  connect(hidePatientAction_, &QAction::toggled, this, &MainWindow::setPatientDataHidden);

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Controls"), this, [this]() {
    QMessageBox::information(
        this, tr("Controls"),
        tr("Wheel, ↑/↓, Page Up/Down, slider: scroll slices\n"
           "Left drag: pan    Middle drag or Ctrl+wheel or +/−: zoom\n"
           "Right drag: window/level (→ wider, ↓ higher level)\n"
           "1 / 2 / 3: lung / mediastinum / bone window    R: reset view\n"
           "Shift+H: hide patient-identifying text\n"
           "N / P: next / previous AI-suspicious slice    J: highest AI score    H: AI heatmap\n"
           "L: lung contour    G: lung opacities (ground glass, consolidation; HU bands, not AI)\n"
           "V / Esc: select    A arrow    T text    M length    E ellipse    F freehand ROI\n"
           "Del: delete    Ctrl+Z / Ctrl+Shift+Z: undo / redo    B: bookmark slice\n"
           "Ctrl+E: export image    Ctrl+C: copy view as image"));
  });
}

void MainWindow::chooseFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open DICOM Folder"));
  if (!dir.isEmpty()) openPath(dir);
}

void MainWindow::openPath(const QString& path, const OpenRequest& request) {
  pendingRequest_ = request;
  // Opening anything ends a PACS preview; the rest of that retrieval's previews are not shown over it.
  if (previewing_) dismissedRetrieval_ = previewRetrieval_;
  previewing_ = false;
  loader_->cancel();
  loading_ = false;
  progress_->hide();
  viewer_->clear();
  ai_->closeSeries();
  annotate_->closeSeries();
  seriesList_->setCatalog({});
  statusText_->setText(tr("Scanning %1…").arg(path));
  const std::string root = path.toStdString();
  // The work: a path in, a catalog out.
  auto work = [root](const core::CancelToken& token, const std::function<void(std::pair<int, int>)>& report) {
    core::dicom::ScanOptions options;
    options.cancel = token;
    options.progress = [&report](int done, int total) { report({done, total}); };
    return core::dicom::scan(root, options);
  };
  decltype(scan_)::Handlers handlers;
  handlers.progress = [this, path](std::pair<int, int> p) {
    statusText_->setText(tr("Scanning %1… %2 / %3 files").arg(path).arg(p.first).arg(p.second));
  };
  handlers.done = [this, path](core::dicom::Catalog catalog) { onCatalog(std::move(catalog), path); };
  handlers.failed = [this](const std::string& message) {
    showError(QString::fromStdString(message));
    checkSettled();
  };
  scan_.start(std::move(work), std::move(handlers));
}

void MainWindow::openDemo(const OpenRequest& request) {
  statusText_->setText(tr("Preparing the demo study (made once, on first use)…"));
  decltype(demo_)::Handlers handlers;
  handlers.done = [this, request](std::string dir) { openPath(QString::fromStdString(dir), request); };
  handlers.failed = [this](const std::string& message) {
    showError(QString::fromStdString(message));
    checkSettled();
  };
  demo_.start([](const core::CancelToken& token, const std::function<void(int)>&) { return demoStudyDir(token).string(); },
              std::move(handlers));
}

void MainWindow::onCatalog(core::dicom::Catalog catalog, const QString& path) {
  seriesList_->setCatalog(catalog);
  if (catalog.series.empty()) {
    showError(tr("No image series found in %1 (%2 files skipped)").arg(path).arg(catalog.skipped.size()));
    checkSettled();
    return;
  }
  int row = seriesList_->defaultRow();
  if (!pendingRequest_.series_uid.empty()) {
    row = seriesList_->rowOfSeries(pendingRequest_.series_uid);
    if (row < 0) {
      showError(tr("No series %1 in %2").arg(QString::fromStdString(pendingRequest_.series_uid), path));
      checkSettled();
      return;
    }
  }
  browser_->selectRow(row);
  int slice = pendingRequest_.slice;
  if (slice < 0 && pendingRequest_.position_mm) {
    const auto& slices = seriesList_->seriesAt(row).slices;
    double best = 0.0;
    for (std::size_t z = 0; z < slices.size(); ++z) {
      const double d = std::abs(slices[z].position_along_normal_mm - *pendingRequest_.position_mm);
      if (slice < 0 || d < best) slice = static_cast<int>(z), best = d;
    }
  }
  openSeries(row, slice, pendingRequest_.window);
}

void MainWindow::openSeries(int row, int slice, std::optional<core::volume::Window> window) {
  if (row < 0 || row >= seriesList_->rowCount()) return;
  const core::dicom::SeriesInfo& series = seriesList_->seriesAt(row);
  const int count = static_cast<int>(series.slices.size());
  if (slice >= count) {
    showError(tr("There is no slice %1: the series has %2 (0 to %3)").arg(slice).arg(count).arg(count - 1));
    checkSettled();
    return;
  }
  if (slice < 0) slice = count / 2;
  try {
    auto volume = loader_->open(series, slice);
    loading_ = true;
    progress_->setRange(0, count);
    progress_->setValue(0);
    progress_->show();
    statusText_->setText(tr("Loading %1 images…").arg(count));
    viewer_->setVolume(volume, ui::viewer::studyFactsFrom(series), slice,
                       window.value_or(core::volume::lungWindow()));
    ai_->openSeries(series.series_uid, volume, slice);
    annotate_->openSeries(series);
    mpr_->openSeries(series, volume);
    sliceView_->setFocus();
  } catch (const std::exception& e) {
    loading_ = false;
    showError(tr("Could not open the series: %1").arg(e.what()));
  }
  updateTitle();
  checkSettled();
}

void MainWindow::setPatientDataHidden(bool hidden) {
  viewer_->setPhiHidden(hidden);
  seriesList_->setPhiHidden(hidden);
  if (hidePatientAction_->isChecked() != hidden) hidePatientAction_->setChecked(hidden);
  updateTitle();
}

bool MainWindow::settledNow() const {
  return !demo_.busy() && !scan_.busy() && !loading_ && !seriesList_->thumbnailsPending();
}

void MainWindow::checkSettled() {
  if (settledNow()) emit settled();
}

void MainWindow::showError(const QString& message) {
  statusText_->setText(message);
  emit failed(message);
  if (interactiveErrors_) QMessageBox::warning(this, tr("LungLens"), message);
}

void MainWindow::updateTitle() {
  QString title = "LungLens";
  if (viewer_->hasVolume()) {
    const auto& f = viewer_->facts();
    QString series = QString::fromStdString(f.series_description).trimmed();
    if (series.isEmpty()) series = tr("Series %1").arg(f.series_number);
    title += " — " + series;
  }
  setWindowTitle(title);
}

}  // namespace lunglens::gui
