#pragma once
// The dock's "Lung analysis" section: status (analysing, or why there is none), the six zones' ground glass and
// consolidation % with their 0-4 scores, the total CT severity score /24, both lungs' volumes, the shown slice's
// involvement, the overlay toggles with their colour key, and the wording that these are CT density measurements
// in HU bands, not an AI score. Binds to LungModel (and AiScoresModel for the current slice).
#include <QGroupBox>

#include "ui/ai/lung_model.h"
#include "ui/common/steady_label.h"

class QCheckBox;
class QLabel;
class QTableWidget;

namespace lunglens::ui::ai {

class AiScoresModel;

class LungPanel : public QGroupBox {
  Q_OBJECT
 public:
  LungPanel(LungModel* model, QWidget* parent = nullptr);

  void setCurrentSlice(int z);
  // Which rule keeps the heatmap in (core/export/heatmap_clip.h's note); empty hides the line.
  void setHeatmapNote(const QString& text);

  QLabel* statusLabel() const { return status_; }
  QTableWidget* zoneTable() const { return table_; }
  QLabel* severityLabel() const { return severity_; }
  QLabel* volumesLabel() const { return volumes_; }
  QCheckBox* contourBox() const { return contour_; }
  QCheckBox* opacityBox() const { return opacities_; }

 private:
  void refresh();

  LungModel* model_;
  int current_ = 0;
  QLabel* note_;
  QLabel* status_;
  QTableWidget* table_;
  QLabel* severity_;
  QLabel* volumes_;
  QLabel* involvement_;
  SteadyLabel* slice_;  // changes with every slice: must not re-lay out the dock
  QCheckBox* contour_;
  QCheckBox* opacities_;
  QLabel* key_;
  QLabel* heatmapNote_;
};

}  // namespace lunglens::ui::ai
