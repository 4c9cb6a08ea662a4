#pragma once
// The AI assist dock: the shown slice's diagnosis bars (and manifestation bars on COVID-positive slices), the score
// curve, suspicious-slice navigation, the study verdict with its rule's numbers and an adjustable threshold, the
// heatmap controls, and the model: chooser, name, version, provenance, a "trained on synthetic phantoms" badge and
// "Reading aid — not for diagnostic use". Shows what AiScoresModel says and emits what the reader asks for (typed
// signals); AiAssist acts on them. Its widgets are its own: tests find them by objectName (e.g. "ai-verdict").
#include <QList>
#include <QPair>
#include <QWidget>

#include "ui/ai/ai_scores_model.h"
#include "ui/common/steady_label.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTimer;
class QVBoxLayout;

namespace lunglens::ui::ai {

class LungModel;
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

  // The installed diagnosis models, as (title, bundle folder); the first is chosen. The chosen one's folder and
  // title (empty without models).
  void setModels(const QList<QPair<QString, QString>>& models);
  QString chosenModelDir() const;
  QString chosenModelTitle() const;
  // The heatmap check box (H), as AiAssist keeps it in step with the menu; setting it emits nothing.
  void setHeatmapShown(bool on);
  bool heatmapShown() const;
  double heatmapOpacity() const;  // 0..1
  // A line under the heatmap controls saying why no map is drawn (empty: nothing to say).
  void setHeatmapNote(const QString& text);
  // The score curve: head at the left (true when the highest slice index is the most headward), and the lung
  // analysis it draws (involvement, slices without lung).
  void setCurveSliceOrder(bool highIndexAtLeft);
  void setCurveLungModel(LungModel* lung);
  // The "Lung analysis" section (LungPanel): shown with a model (after the series' curve) and without one (under
  // the no-model text), since it needs no model.
  void setLungSection(QWidget* section);

 signals:
  // What the reader asked for; AiAssist acts on it.
  void previousSuspiciousRequested();
  void nextSuspiciousRequested();
  void highestRequested();
  void sliceRequested(int slice);                   // a click or drag on the score curve
  void suspiciousFilterChanged(int manifestation);  // index into the manifestation classes, -1 = any
  void thresholdChanged(double threshold);          // the covid decision threshold
  void rerunRequested(const QString& modelDir);     // the chosen model's folder (empty without models)
  void heatmapShownChanged(bool on);
  void heatmapClassChanged(int cls);           // index into the diagnosis classes, -1 = the predicted class
  void heatmapColoursChanged(int colours);     // 0 rainbow, 1 hot, 2 viridis (paint::HeatmapColours)
  void heatmapOpacityChanged(double opacity);  // 0..1

 private:
  // Connects the model to the widgets and the widgets to the panel's signals (ai_panel.cpp); the constructor, in
  // ai_panel_layout.cpp, calls it once the widgets are laid out.
  void wire();
  void refreshSlice();
  void refreshVerdict();
  void refreshFacts();
  void placeLungSection();

  AiScoresModel* model_;
  QStackedWidget* stack_;
  QWidget* lung_ = nullptr;
  QVBoxLayout* contentLayout_ = nullptr;
  QVBoxLayout* noModelLayout_ = nullptr;
  QLabel* noModel_;
  SteadyLabel* sliceTitle_;  // changes with every slice
  ProbabilityBars* bars_;
  QLabel* manifestationTitle_;
  ProbabilityBars* manifestationBars_;
  ScoreCurve* curve_;
  QPushButton *previous_, *next_, *highest_;
  QComboBox* filter_;
  QLabel* verdict_;
  SteadyLabel* verdictDetails_;  // changes with every result while scoring
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
  QTimer* verdictTimer_;  // coalesces verdict refreshes while results stream in
  OodBanner* oodBanner_ = nullptr;
};

}  // namespace lunglens::ui::ai
