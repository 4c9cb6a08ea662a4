#pragma once
// Puts the MPR room into the main window: a "Layout" menu (axial viewer, MPR 1x3, MPR 2x2, comparison), the
// reading layouts stacked with the axial viewer in the central area, the crosshair's axial slice kept in step with
// the axial viewer (and so with the AI panel), the AI per-slice score fed to the reformats' colour bar, and
// "Compare with series…" loading a second series of the open folder beside the current one.
#include <QObject>
#include <QString>
#include <optional>

#include "core/dicom/series.h"
#include "core/volume/volume.h"
#include "ui/mpr/mpr_model.h"

class QMainWindow;
class QStackedWidget;
class QTimer;

namespace lunglens::ui::viewer {
class ViewerModel;
class SeriesLoader;
class SeriesListModel;
}  // namespace lunglens::ui::viewer
namespace lunglens::ui::ai {
class AiScoresModel;
}

namespace lunglens::ui::mpr {

class ComparisonModel;
class ComparisonWidget;
class MprWidget;
struct ComparedSeries;

// The study date is patient-identifying: left out of the title while patient data is hidden.
ComparedSeries comparedSeries(const core::dicom::SeriesInfo& series, core::volume::VolumePtr volume, bool withDate);

class MprController : public QObject {
  Q_OBJECT
 public:
  enum Page { AxialViewer = 0, Mpr = 1, Comparison = 2 };

  MprController(QMainWindow* window, viewer::ViewerModel* viewer, viewer::SeriesLoader* loader,
                viewer::SeriesListModel* seriesList, ai::AiScoresModel* scores);

  // The main window opened a series (its volume may still be filling).
  void openSeries(const core::dicom::SeriesInfo& series, core::volume::VolumePtr volume);
  void showPage(Page page, std::optional<Layout> layout = std::nullopt);
  // Loads row `row` of the browser beside the open series and shows the comparison.
  void compareWith(int row);

  MprModel& model() const { return *model_; }
  MprWidget& widget() const { return *widget_; }
  ComparisonModel& comparison() const { return *comparison_; }
  ComparisonWidget& comparisonWidget() const { return *comparisonWidget_; }
  Page page() const;

 signals:
  void message(const QString& text);

 private:
  void chooseComparison();
  void pushScores();

  QMainWindow* window_;
  viewer::ViewerModel* viewer_;
  viewer::SeriesListModel* seriesList_;
  ai::AiScoresModel* scores_;
  MprModel* model_;
  MprWidget* widget_;
  ComparisonModel* comparison_;
  ComparisonWidget* comparisonWidget_;
  viewer::SeriesLoader* partnerLoader_;
  QStackedWidget* stack_;
  QTimer* refresh_;  // batches slice-ready and score updates into one redraw
  std::optional<core::dicom::SeriesInfo> series_;
  core::volume::VolumePtr volume_;
  bool opening_ = false;  // openSeries is setting the model up: its cursor does not move the viewer
};

}  // namespace lunglens::ui::mpr
