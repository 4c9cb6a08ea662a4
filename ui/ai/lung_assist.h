#pragma once
// The lung analysis in the viewer, as one piece AiAssist owns: runs core::lung::analyzeLungs in the background
// (AsyncJob) once the open series has finished loading, so the first slice and scrolling never wait for it; the
// result is keyed by series UID (a late result for a closed series is dropped by LungModel); drives the lung
// overlays (L contour, G opacities) and the dock's "Lung analysis" section. Bad input (no lungs found, one slice,
// a series that did not load completely) becomes a line in that section, never a crash.
#include <QObject>
#include <memory>
#include <string>

#include "core/lung/lung_analysis.h"
#include "core/volume/volume.h"
#include "ui/common/async_job.h"

class QAction;
class QMenu;

namespace lunglens::ui::viewer {
class ViewerModel;
class SliceView;
}  // namespace lunglens::ui::viewer

namespace lunglens::ui::ai {

class LungModel;
class LungOverlay;
class LungPanel;

class LungAssist : public QObject {
  Q_OBJECT
 public:
  LungAssist(viewer::ViewerModel* viewer, viewer::SliceView* view, QObject* parent = nullptr);
  ~LungAssist() override;

  // Adds "Show Lung Contour" (L) and "Show Lung Opacities" (G) to `menu`.
  void addActions(QMenu* menu);

  // The main window opened a series (possibly still loading): waits for it; starts at once if already complete.
  void openSeries(const std::string& series_uid, core::volume::VolumePtr volume);
  // Every slice is in: starts the analysis (no-op unless a series is waiting).
  void seriesLoaded();
  // Loading stopped short: the section says why, nothing is analysed.
  void seriesLoadFailed(const std::string& why);
  void closeSeries();

  // True while an analysis is waiting for its series or running.
  bool busy() const;

  void setContourShown(bool on);
  void setOpacitiesShown(bool on);

  LungModel& model() const { return *model_; }
  LungOverlay& overlay() const { return *overlay_; }
  LungPanel* panel() const { return panel_; }
  QAction* contourAction() const { return contourAction_; }
  QAction* opacityAction() const { return opacityAction_; }

 signals:
  void finished();  // a result or a failure was applied

 private:
  void start();

  LungModel* model_;
  LungOverlay* overlay_;
  LungPanel* panel_;  // owned by the dock once placed
  QAction* contourAction_ = nullptr;
  QAction* opacityAction_ = nullptr;
  core::volume::VolumePtr volume_;
  AsyncJob<std::shared_ptr<const core::lung::LungAnalysis>> job_;
};

}  // namespace lunglens::ui::ai
