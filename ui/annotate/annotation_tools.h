#pragma once
// The annotation and export feature as one piece the main window adds (like ui/ai's AiAssist): the tools
// (presenter + mouse routing + the drawing layer), the per-study document that saves itself on every change and is
// restored when the study is opened again, key-image bookmarks, the Annotate menu and toolbar, and exporting or
// copying annotated images (ui/paint's composeExportImage of what the viewer shows).
//
// Shortcuts: V / Esc select, A arrow, T text, M length, E ellipse, F freehand, Del delete, Ctrl+Z / Ctrl+Shift+Z
// undo / redo, B bookmark with note, Ctrl+E export, Ctrl+C copy the current view as an image.
#include <QImage>
#include <QObject>
#include <QPointer>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/dicom/series.h"
#include "core/annotation/annotation_document.h"
#include "core/annotation/annotation_store.h"
#include "core/volume/volume.h"
#include "ui/annotate/annotation_presenter.h"
#include "ui/annotate/export_request.h"

class QAction;
class QActionGroup;
class QMainWindow;

namespace lunglens::ui::viewer {
class ViewerModel;
class SliceView;
}  // namespace lunglens::ui::viewer
namespace lunglens::ui::ai {
class AiAssist;
}

namespace lunglens::ui::annotate {

class AnnotationLayer;

class AnnotationTools : public QObject {
  Q_OBJECT
 public:
  // `ai` may be null (no scores or heatmap in exports).
  AnnotationTools(viewer::ViewerModel* viewer, viewer::SliceView* view, ai::AiAssist* ai, QMainWindow* window);
  ~AnnotationTools() override;

  // The main window opened a series: loads the study's saved annotations (relinked to this series) for editing.
  void openSeries(const core::dicom::SeriesInfo& series);
  // Saves and closes the study's annotations.
  void closeSeries();
  // Where annotations are kept (default: the user's data folder). Set before opening a series.
  void setStore(core::annotation::AnnotationStore store) { store_ = std::move(store); }
  const core::annotation::AnnotationStore& store() const { return store_; }
  // Errors go to a dialog when interactive, else only to message().
  void setInteractiveErrors(bool on) { interactive_ = on; }

  AnnotationPresenter& presenter() { return presenter_; }
  core::annotation::AnnotationDocument* document() const { return doc_.get(); }
  AnnotationLayer& layer() const { return *layer_; }
  void setTool(Tool tool);
  QAction* toolAction(Tool tool) const;

  // Bookmarks the shown slice with a note (replacing its note), or removes its bookmark.
  void bookmarkCurrentSlice(const std::string& note);
  void removeCurrentBookmark();

  // The current view as an exported image (the shown slice, zoomed part, annotations, heatmap when shown, scores).
  paint::ExportView currentExportView(bool include_phi = false) const;
  QImage currentViewImage(const paint::ExportSize& size = {}, bool include_phi = false) const;
  // Copies the current view's image to the clipboard.
  void copyToClipboard();
  // Writes what `request` asks for; returns the files written. Every target is checked before the first is
  // written. Throws core::InputError (nothing existing replaced without `overwrite`; no partial files).
  std::vector<std::filesystem::path> exportImages(const ExportRequest& request) const;
  // The files `request` would write (and, optionally, their slices); throws InputError when there is nothing.
  std::vector<std::filesystem::path> exportTargets(const ExportRequest& request, std::vector<int>* slices = nullptr) const;
  // The dialog, then the export; errors as a dialog.
  void showExportDialog();

 signals:
  void message(const QString& text);
  void saved();  // the study's annotations were written

 private:
  class Mouse;
  void buildActions(QMainWindow* window);
  void onDocumentChanged();
  void onSliceChanged(int slice);
  void save();
  void saveIfModified();
  void updateActions();
  void showError(const QString& text);
  std::string sopOf(int slice) const;

  viewer::ViewerModel* viewer_;
  QPointer<viewer::SliceView> view_;  // the main window may destroy the view first
  ai::AiAssist* ai_;
  QWidget* window_;
  AnnotationPresenter presenter_;
  std::unique_ptr<Mouse> mouse_;
  AnnotationLayer* layer_;
  core::annotation::AnnotationStore store_;
  std::unique_ptr<core::annotation::AnnotationDocument> doc_;
  core::dicom::SeriesInfo series_;
  QActionGroup* tools_ = nullptr;
  QAction* undo_ = nullptr;
  QAction* redo_ = nullptr;
  QAction* delete_ = nullptr;
  QAction* removeBookmark_ = nullptr;
  bool interactive_ = true;
  bool unreadable_ = false;      // the study's saved file could not be read: never overwrite it
  bool saveErrorShown_ = false;
};

}  // namespace lunglens::ui::annotate
