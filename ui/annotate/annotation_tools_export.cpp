#include "ui/annotate/annotation_tools.h"

// AnnotationTools: exporting and copying annotated images of what the viewer shows (the Export dialog, batches of
// bookmarked or AI-suspicious slices, the clipboard). Split from annotation_tools.cpp to keep each file one idea.
#include <QClipboard>
#include <QGuiApplication>
#include <QMessageBox>
#include <QStandardPaths>

#include "core/common/error.h"
#include "core/dicom/image_number.h"
#include "ui/annotate/export_dialog.h"
#include "ui/annotate/view_placement.h"
#include "ui/paint/image_file.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::annotate {

namespace ann = core::annotation;

paint::ExportView AnnotationTools::currentExportView(bool include_phi) const {
  const ann::StudyAnnotations empty;
  return exportViewFor(*viewer_, series_, doc_ ? doc_->state() : empty, viewer_->slice(), ai_, include_phi,
                       visibleRegion_mm(*viewer_));
}

QImage AnnotationTools::currentViewImage(const paint::ExportSize& size, bool include_phi) const {
  return paint::composeExportImage(currentExportView(include_phi), size);
}

void AnnotationTools::copyToClipboard() {
  try {
    QGuiApplication::clipboard()->setImage(currentViewImage());
    emit message(tr("Image of the current view copied (anonymized)"));
  } catch (const std::exception& e) {
    showError(tr("Could not copy the view: %1").arg(e.what()));
  }
}

std::vector<std::filesystem::path> AnnotationTools::exportTargets(const ExportRequest& request,
                                                                  std::vector<int>* slices) const {
  const ann::StudyAnnotations empty;
  const std::vector<int> chosen = exportSlices(request, *viewer_, series_.series_uid, doc_ ? doc_->state() : empty, ai_);
  if (chosen.empty()) throw core::InputError(request.file.string(), "no slice to export");
  paint::imageFormatFor(request.file);  // a bad extension fails before anything is drawn
  std::vector<std::filesystem::path> files;
  for (int z : chosen) {
    files.push_back(request.what == ExportWhat::CurrentView ? request.file
                                                             : batchFile(request.file, core::dicom::imageNumber(series_, z)));
  }
  if (slices) *slices = chosen;
  return files;
}

std::vector<std::filesystem::path> AnnotationTools::exportImages(const ExportRequest& request) const {
  std::vector<int> slices;
  const std::vector<std::filesystem::path> files = exportTargets(request, &slices);
  for (const auto& f : files) {
    if (!request.overwrite && std::filesystem::exists(f)) throw core::InputError(f.string(), "file exists");
  }
  const ann::StudyAnnotations empty;
  const ann::StudyAnnotations& study = doc_ ? doc_->state() : empty;
  const bool current = request.what == ExportWhat::CurrentView;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const paint::ExportView view =
        exportViewFor(*viewer_, series_, study, slices[i], ai_, request.include_phi,
                      current ? std::optional<QRectF>(visibleRegion_mm(*viewer_)) : std::nullopt);
    paint::writeImageFile(paint::composeExportImage(view, request.size), files[i], request.overwrite);
  }
  return files;
}

void AnnotationTools::showExportDialog() {
  if (!viewer_->hasVolume()) return;
  const ann::StudyAnnotations empty;
  ExportRequest probe;
  probe.what = ExportWhat::Bookmarked;
  const auto bookmarks = exportSlices(probe, *viewer_, series_.series_uid, doc_ ? doc_->state() : empty, ai_);
  probe.what = ExportWhat::Suspicious;
  const auto suspicious = exportSlices(probe, *viewer_, series_.series_uid, empty, ai_);
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  const QString suggested =
      dir + QString("/lunglens-im-%1.png").arg(core::dicom::imageNumber(series_, viewer_->slice()), 3, 10, QChar('0'));
  ExportDialog dialog(suggested, static_cast<int>(bookmarks.size()), static_cast<int>(suspicious.size()), window_);
  if (dialog.exec() != QDialog::Accepted) return;
  ExportRequest request = dialog.request();
  try {
    QStringList existing;
    for (const auto& f : exportTargets(request)) {
      if (std::filesystem::exists(f)) existing << QString::fromStdString(f.string());
    }
    if (!existing.isEmpty()) {
      const auto answer = QMessageBox::question(
          window_, tr("Export Image"), tr("These files exist already:\n%1\n\nReplace them?").arg(existing.join('\n')));
      if (answer != QMessageBox::Yes) return;
      request.overwrite = true;
    }
    const auto files = exportImages(request);
    emit message(tr("Exported %1 image(s) to %2").arg(files.size()).arg(QString::fromStdString(files.front().string())));
  } catch (const std::exception& e) {
    showError(tr("Export failed: %1").arg(e.what()));
  }
}

}  // namespace lunglens::ui::annotate
