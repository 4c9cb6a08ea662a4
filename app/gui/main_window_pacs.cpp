// The main window's side of File ▸ Open from PACS…: the dialog (ui/pacs), the series shown while it is retrieved,
// and the complete series opened at the end. A preview is for looking only: it is shown in the axial viewer with
// the overlay and slider, but the AI panel, the lung analysis, annotations and the reformats wait for the complete
// series (openRetrieved → openPath → the normal load), so no score or contour is ever computed on half a series.
#include <QLabel>
#include <QProgressBar>
#include <QSettings>
#include <cmath>

#include "app/gui/main_window.h"
#include "ui/ai/ai_assist.h"
#include "ui/annotate/annotation_tools.h"
#include "ui/pacs/pacs_dialog.h"
#include "ui/viewer/overlay_text.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/series_loader.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::gui {

ui::pacs::PacsDialog& MainWindow::pacsDialog() {
  // One modeless PACS window, kept so its results and node stay while the series is read.
  auto* dialog = findChild<ui::pacs::PacsDialog*>();
  if (!dialog) {
    dialog = new ui::pacs::PacsDialog(*new QSettings(this), this);
    connect(dialog, &ui::pacs::PacsDialog::previewReady, this, &MainWindow::showPacsPreview);
    connect(dialog, &ui::pacs::PacsDialog::previewClosed, this, &MainWindow::closePacsPreview);
    connect(dialog, &ui::pacs::PacsDialog::openRequested, this, &MainWindow::openRetrieved);
  }
  return *dialog;
}

void MainWindow::showPacsPreview(const ui::pacs::SeriesPreview& preview) {
  const auto& volume = preview.volume;
  if (!volume || volume->slices() == 0 || preview.retrieval == dismissedRetrieval_) return;
  if (preview.retrieval != previewRetrieval_) previewing_ = false;  // another retrieval: a new series
  previewRetrieval_ = preview.retrieval;
  int slice = volume->slices() / 2;
  core::volume::Window window = core::volume::lungWindow();
  if (previewing_ && viewer_->hasVolume()) {
    // A refresh: the same place in the patient and the reader's window, though slices were added around it.
    window = viewer_->window();
    const double at = viewer_->volume()->slicePosition_mm(viewer_->slice());
    for (int z = 0; z < volume->slices(); ++z) {
      if (std::abs(volume->slicePosition_mm(z) - at) < std::abs(volume->slicePosition_mm(slice) - at)) slice = z;
    }
  } else {
    // The first batch: whatever was open goes, as when opening a folder.
    loader_->cancel();
    loading_ = false;
    progress_->hide();
    ai_->closeSeries();
    annotate_->closeSeries();
    seriesList_->setCatalog({});
  }
  previewing_ = true;
  viewer_->setVolume(volume, ui::viewer::studyFactsFrom(preview.series), slice, window);
  statusText_->setText(
      tr("Retrieving from PACS: %1 of %2 images shown so far; AI and lung analysis start when the series is complete")
          .arg(volume->slices())
          .arg(preview.expected >= 0 ? QString::number(preview.expected) : tr("?")));
  updateTitle();
}

void MainWindow::closePacsPreview() {
  if (!previewing_) return;
  previewing_ = false;
  viewer_->clear();
  statusText_->setText(tr("Retrieval stopped: the partly retrieved series was closed and nothing was kept"));
  updateTitle();
}

void MainWindow::openRetrieved(const QString& folder, const QString& series_uid) {
  OpenRequest request{series_uid.toStdString(), -1, std::nullopt, std::nullopt};
  if (previewing_ && viewer_->hasVolume()) {
    request.position_mm = viewer_->volume()->slicePosition_mm(viewer_->slice());
    request.window = viewer_->window();
  }
  openPath(folder, request);
}

}  // namespace lunglens::gui
