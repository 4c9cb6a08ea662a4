#pragma once
// The AI assist feature as one piece the main window adds: finds and loads the models, owns the engine adapter,
// the presenter model, the heatmap layer on the slice view, the AI dock, the AI menu (N / P / J / H) and the status
// bar's scoring progress with cancel. Follows the viewer: the shown slice is the engine's focus, and its heatmap
// is asked for once scrolling rests.
#include <QObject>
#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "core/export/heatmap_clip.h"
#include "core/inference/heatmap.h"
#include "core/volume/volume.h"

class QAction;
class QMainWindow;
class QTimer;

namespace lunglens::ui::viewer {
class ViewerModel;
class SliceView;
}  // namespace lunglens::ui::viewer

namespace lunglens::ui::ai {

class AiScoresModel;
class AiPanel;
class EngineAdapter;
class HeatmapOverlay;
class LungAssist;
class ScoringProgress;

struct AiOptions {
  std::filesystem::path model;                // --model DIR: this diagnosis bundle (else the first installed)
  std::filesystem::path manifestation_model;  // --manifestation-model DIR (else one beside --model, else installed)
  bool heatmap = false;                       // start with the heatmap shown
};

class AiAssist : public QObject {
  Q_OBJECT
 public:
  AiAssist(viewer::ViewerModel* viewer, viewer::SliceView* view, QMainWindow* window);
  ~AiAssist() override;

  // Finds the bundles and loads the chosen one (in the background). Call once, after construction.
  void start(const AiOptions& options);
  // The main window opened / closed a series.
  void openSeries(const std::string& series_uid, core::volume::VolumePtr volume, int slice);
  void closeSeries();
  // The open series finished loading (the lung analysis starts), or stopped short (it says why).
  void seriesLoaded();
  void seriesLoadFailed(const QString& why);

  // Nothing more will happen without the user: no model (or it failed), or every slice scored and, with the
  // heatmap on, the shown slice's heatmap drawn.
  bool settledNow() const;
  bool hasModel() const;

  AiScoresModel& scores() const { return *scores_; }
  AiPanel& panel() const { return *panel_; }
  EngineAdapter& engine() const { return *adapter_; }
  HeatmapOverlay& overlay() const { return *overlay_; }
  QAction* heatmapAction() const { return heatmapAction_; }
  ScoringProgress& progress() const { return *progress_; }
  LungAssist& lung() const { return *lung_; }

  void goToNextSuspicious(int direction);  // +1: toward the feet, -1: toward the head
  void goToHighest();
  void setHeatmapShown(bool on);

 signals:
  void settled();  // settledNow() became true
  void message(const QString& text);

 private:
  void connectPanel();
  void buildMenu(QMainWindow* window);
  void buildStatusBar(QMainWindow* window);
  void discoverModels();
  void loadChosenModel();
  void onModelsReady();
  void onSliceChanged(int slice);
  void refreshHeatmap();
  void requestHeatmapNow();
  void updateProgress();
  void checkSettled();
  // Whether the scores became withheld, or stopped being, since last asked (the map shown may have to change).
  bool withheldFlipped();
  void onLungChanged();

 public:
  // The heatmap the viewer shows (or would show, for a slice not on screen) on `slice` under the current choices:
  // the H toggle, then AiScoresModel::shownHeatmap (the chosen class or the predicted one, none on a slice called
  // normal). Null if none. The export uses it, so an exported image never carries a map the screen would not.
  const core::inference::Heatmap* shownHeatmap(int slice) const;
  // Where a heatmap on `slice` may be drawn (core/export/heatmap_clip.h): inside the dilated lung mask once the
  // lung analysis is ready, else the body-air fallback. The export uses it, as the overlay does.
  core::exporting::HeatmapClip heatmapClip(int slice) const;

 private:
  viewer::ViewerModel* viewer_;
  viewer::SliceView* view_;
  AiScoresModel* scores_;
  EngineAdapter* adapter_;
  HeatmapOverlay* overlay_;
  bool withheldShown_ = false;  // whether the shown map was chosen while the scores were withheld
  AiPanel* panel_;
  LungAssist* lung_;
  QAction* heatmapAction_ = nullptr;
  ScoringProgress* progress_ = nullptr;
  QTimer* heatmapTimer_;
  QTimer* progressTimer_;  // the progress bar repaints at once on setValue: update it at most 10 times a second
  AiOptions options_;
  std::filesystem::path loadedBundle_;
  std::filesystem::path manifestationBundle_;
  std::set<std::pair<int, int>> requested_;  // (slice, class) heatmaps asked for in this run
  bool noModel_ = false;
  bool wasSettled_ = false;
};

}  // namespace lunglens::ui::ai
