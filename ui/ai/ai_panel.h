#pragma once
// The AI assist dock: the shown slice's diagnosis bars (and manifestation bars on COVID-positive slices), the score
// curve, suspicious-slice navigation, the study verdict with its rule's numbers and an adjustable threshold, the
// heatmap controls, and the model: chooser, name, version, provenance, a "trained on synthetic phantoms" badge and
// "Reading aid — not for diagnostic use". Binds to AiScoresModel; AiAssist wires the buttons to actions.
#include <QWidget>

#include "ui/ai/ai_scores_model.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTimer;
class QVBoxLayout;

namespace lunglens::ui::ai {

class OodBanner;
class ProbabilityBars;
class ScoreCurve;

class AiPanel : public QWidget {
  Q_OBJECT
 public:
  explicit AiPanel(AiScoresModel* model, QWidget* parent = nullptr);

  // No usable model: says so (with why), everything else hidden.
  void showNoModel(const QString& why);
  void showLoading(const QString& what);
  void showModel(const QString& note = {});  // facts come from the model
  bool modelShown() const;

  ScoreCurve* curve() const { return curve_; }
  ProbabilityBars* diagnosisBars() const { return bars_; }
  ProbabilityBars* manifestationBars() const { return manifestationBars_; }
  QLabel* verdictHeadline() const { return verdict_; }
  QLabel* verdictDetails() const { return verdictDetails_; }
  QLabel* noModelLabel() const { return noModel_; }
  QLabel* syntheticBadge() const { return badge_; }
  QDoubleSpinBox* thresholdBox() const { return threshold_; }
  QComboBox* modelChooser() const { return chooser_; }
  QPushButton* rerunButton() const { return rerun_; }
  QPushButton* previousButton() const { return previous_; }
  QPushButton* nextButton() const { return next_; }
  QPushButton* highestButton() const { return highest_; }
  QComboBox* filterBox() const { return filter_; }
  QCheckBox* heatmapBox() const { return heatmap_; }
  QComboBox* heatmapClassBox() const { return heatmapClass_; }
  QComboBox* coloursBox() const { return colours_; }
  QSlider* opacitySlider() const { return opacity_; }
  QLabel* heatmapNote() const { return heatmapNote_; }
  OodBanner* oodBanner() const { return oodBanner_; }
  // A line under the heatmap controls saying why no map is drawn (empty: nothing to say).
  void setHeatmapNote(const QString& text);
  // The "Lung analysis" section (LungPanel): shown with a model (after the series' curve) and without one (under
  // the no-model text), since it needs no model.
  void setLungSection(QWidget* section);

 private:
  void refreshSlice();
  void refreshVerdict();
  void refreshFacts();

  AiScoresModel* model_;
  void placeLungSection();

  QStackedWidget* stack_;
  QWidget* lung_ = nullptr;
  QWidget* noModelPage_ = nullptr;
  QVBoxLayout* contentLayout_ = nullptr;
  QVBoxLayout* noModelLayout_ = nullptr;
  QLabel* noModel_;
  QLabel* sliceTitle_;
  ProbabilityBars* bars_;
  QLabel* manifestationTitle_;
  ProbabilityBars* manifestationBars_;
  ScoreCurve* curve_;
  QPushButton *previous_, *next_, *highest_;
  QComboBox* filter_;
  QLabel* verdict_;
  QLabel* verdictDetails_;
  QDoubleSpinBox* threshold_;
  QCheckBox* heatmap_;
  QComboBox* heatmapClass_;
  QComboBox* colours_;
  QSlider* opacity_;
  QLabel* heatmapNote_;
  QComboBox* chooser_;
  QPushButton* rerun_;
  QLabel* modelName_;
  QLabel* provenance_;
  QLabel* badge_;
  QLabel* note_;
  QTimer* verdictTimer_;
  OodBanner* oodBanner_ = nullptr;  // coalesces verdict refreshes while results stream in
};

}  // namespace lunglens::ui::ai
