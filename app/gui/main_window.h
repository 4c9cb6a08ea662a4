#pragma once
// The main window: series browser (left), slice view with its slider (centre), load progress (status bar), and
// the menus that carry the keyboard shortcuts. Scanning, loading and thumbnails run off the UI thread through
// ui::AsyncJob; this window only starts them and applies their results.
#include <QMainWindow>
#include <optional>
#include <string>

#include "core/dicom/series.h"
#include "core/volume/window.h"
#include "ui/common/async_job.h"

class QLabel;
class QProgressBar;
class QSlider;
class QAction;

namespace lunglens::ui::viewer {
class ViewerModel;
class SliceView;
class SeriesListModel;
class SeriesBrowser;
class SeriesLoader;
}  // namespace lunglens::ui::viewer
namespace lunglens::ui::ai {
class AiAssist;
}
namespace lunglens::ui::annotate {
class AnnotationTools;
}
namespace lunglens::ui::mpr {
class MprController;
}  // namespace lunglens::ui::mpr
namespace lunglens::ui::teaching {
class LibraryController;
}
namespace lunglens::ui::pacs {
class PacsDialog;
struct SeriesPreview;
}  // namespace lunglens::ui::pacs

namespace lunglens::gui {

struct OpenRequest {
  std::string series_uid;  // empty = the default series
  int slice = -1;          // 0-based; -1 = middle (or the slice nearest position_mm)
  std::optional<double> position_mm;  // along the slice normal: keeps a PACS preview's slice when the series opens
  std::optional<core::volume::Window> window;
};

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Scans `path` in the background, fills the browser, then opens the requested (or default) series.
  void openPath(const QString& path, const OpenRequest& request = {});
  // Makes the demo study if needed (in the background), then opens it like openPath.
  void openDemo(const OpenRequest& request = {});
  // Opens row `row` of the browser; cancels the load in flight.
  void openSeries(int row, int slice = -1, std::optional<core::volume::Window> window = std::nullopt);
  void setPatientDataHidden(bool hidden);
  // Errors go to a dialog when interactive, else only to the failed() signal and the status bar.
  void setInteractiveErrors(bool on) { interactiveErrors_ = on; }

  ui::viewer::ViewerModel& viewer() const { return *viewer_; }
  ui::viewer::SliceView& sliceView() const { return *sliceView_; }
  ui::viewer::SeriesListModel& seriesList() const { return *seriesList_; }
  ui::ai::AiAssist& ai() const { return *ai_; }
  ui::annotate::AnnotationTools& annotate() const { return *annotate_; }
  // The case library's menu, gallery and presentation mode; null when the library could not be opened.
  ui::teaching::LibraryController* library() const { return library_; }
  ui::mpr::MprController& mpr() const { return *mpr_; }
  // File ▸ Open from PACS…: the one modeless PACS window (main_window_pacs.cpp).
  ui::pacs::PacsDialog& pacsDialog();
  // A series being retrieved is on screen as a preview (its slices so far; no AI until it is complete).
  bool showingPacsPreview() const { return previewing_; }
  // Nothing in flight: no scan, no series load, no thumbnails being made.
  bool settledNow() const;

 signals:
  void settled();
  void failed(const QString& message);

 private:
  void buildMenus();
  void chooseFolder();
  void onCatalog(core::dicom::Catalog catalog, const QString& path);
  void showError(const QString& message);
  void checkSettled();
  void updateTitle();
  // The PACS retrieval's preview (main_window_pacs.cpp): shown or refreshed, dropped on cancel, and the complete
  // folder opened at the same slice and window.
  void showPacsPreview(const ui::pacs::SeriesPreview& preview);
  void closePacsPreview();
  void openRetrieved(const QString& folder, const QString& series_uid);

  ui::viewer::ViewerModel* viewer_;
  ui::viewer::SliceView* sliceView_;
  QSlider* slider_;
  ui::viewer::SeriesListModel* seriesList_;
  ui::viewer::SeriesBrowser* browser_;
  ui::viewer::SeriesLoader* loader_;
  ui::ai::AiAssist* ai_ = nullptr;
  ui::annotate::AnnotationTools* annotate_ = nullptr;
  ui::mpr::MprController* mpr_ = nullptr;
  ui::teaching::LibraryController* library_ = nullptr;
  QLabel* statusText_;
  QProgressBar* progress_;
  QAction* hidePatientAction_ = nullptr;
  ui::AsyncJob<core::dicom::Catalog, std::pair<int, int>> scan_;
  ui::AsyncJob<std::string> demo_;
  OpenRequest pendingRequest_;
  bool interactiveErrors_ = true;
  bool loading_ = false;
  bool previewing_ = false;
  int previewRetrieval_ = -1;   // the retrieval whose preview is (or was last) on screen
  int dismissedRetrieval_ = -1;  // a retrieval whose preview the reader left by opening something else
};

}  // namespace lunglens::gui
