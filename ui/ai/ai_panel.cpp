#include "ui/ai/ai_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/ai/probability_bars.h"
#include "ui/ai/score_curve.h"

namespace lunglens::ui::ai {

// The constructor (the widgets and their layout) is in ai_panel_layout.cpp; it ends by calling wire().
void AiPanel::wire() {
  // The presenter model -> the widgets.
  connect(model_, &AiScoresModel::seriesChanged, this, [this]() {
    refreshFacts();
    refreshSlice();
    refreshVerdict();
  });
  connect(model_, &AiScoresModel::scoresChanged, this, [this](int z) {
    if (z == model_->currentSlice()) refreshSlice();
    if (model_->allScored()) {
      refreshVerdict();  // the final numbers at once
    } else if (!verdictTimer_->isActive()) {
      verdictTimer_->start();
    }
  });
  connect(model_, &AiScoresModel::currentSliceChanged, this, &AiPanel::refreshSlice);
  connect(model_, &AiScoresModel::settingsChanged, this, [this]() {
    refreshSlice();
    refreshVerdict();
  });
  connect(model_, &AiScoresModel::heatmapClassChanged, this, [this](int cls) {
    const QSignalBlocker block(heatmapClass_);
    if (cls + 1 < heatmapClass_->count()) heatmapClass_->setCurrentIndex(cls + 1);
  });

  // The reader's requests, as the panel's own signals.
  connect(previous_, &QPushButton::clicked, this, &AiPanel::previousSuspiciousRequested);
  connect(next_, &QPushButton::clicked, this, &AiPanel::nextSuspiciousRequested);
  connect(highest_, &QPushButton::clicked, this, &AiPanel::highestRequested);
  connect(curve_, &ScoreCurve::sliceRequested, this, &AiPanel::sliceRequested);
  connect(filter_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this](int i) { emit suspiciousFilterChanged(i - 1); });
  connect(threshold_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &AiPanel::thresholdChanged);
  connect(rerun_, &QPushButton::clicked, this, [this]() { emit rerunRequested(chosenModelDir()); });
  connect(heatmap_, &QCheckBox::toggled, this, &AiPanel::heatmapShownChanged);
  connect(heatmapClass_, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this](int i) { emit heatmapClassChanged(i - 1); });
  connect(colours_, qOverload<int>(&QComboBox::currentIndexChanged), this, &AiPanel::heatmapColoursChanged);
  connect(opacity_, &QSlider::valueChanged, this, [this](int v) { emit heatmapOpacityChanged(v / 100.0); });
}

void AiPanel::showNoModel(const QString& why) {
  noModel_->setText(why);
  stack_->setCurrentIndex(0);
  placeLungSection();
}

void AiPanel::setLungSection(QWidget* section) {
  lung_ = section;
  placeLungSection();
}

void AiPanel::placeLungSection() {
  if (!lung_) return;
  QVBoxLayout* target = modelShown() ? contentLayout_ : noModelLayout_;
  if (lung_->parentWidget() && target->indexOf(lung_) >= 0) return;
  if (lung_->parentWidget() && lung_->parentWidget()->layout()) lung_->parentWidget()->layout()->removeWidget(lung_);
  // With a model: right after "Along the series" (its curve carries the lung involvement); without: under the text.
  target->insertWidget(modelShown() ? 3 : 1, lung_);
  lung_->show();
}

void AiPanel::showLoading(const QString& what) { showNoModel(what); }

void AiPanel::showModel(const QString& note) {
  note_->setText(note);
  note_->setVisible(!note.isEmpty());
  stack_->setCurrentIndex(1);
  placeLungSection();
  refreshFacts();
}

bool AiPanel::modelShown() const { return stack_->currentIndex() == 1; }

void AiPanel::refreshFacts() {
  const ModelFacts& f = model_->facts();
  if (f.name.empty()) return;
  QString name = QString::fromStdString(f.name + " " + f.version) + "  ·  " + QString::fromStdString(f.architecture);
  if (!f.manifestation_name.empty())
    name +=
        "\n" + tr("Manifestations: %1 %2")
                   .arg(QString::fromStdString(f.manifestation_name), QString::fromStdString(f.manifestation_version));
  modelName_->setText(name);
  // The manifest's provenance is a phrase ("trained on synthetic phantoms ...", "image slices listed in ..."):
  // shown as written, as a sentence.
  QString provenance = QString::fromStdString(f.training_data);
  if (!provenance.isEmpty()) provenance[0] = provenance[0].toUpper();
  provenance_->setText(tr("%1 (%2)").arg(provenance, QString::fromStdString(f.date)));
  badge_->setVisible(f.synthetic);
  {
    const QSignalBlocker block(threshold_);
    threshold_->setValue(model_->verdictThreshold());
  }
  {
    const QSignalBlocker block(filter_);
    filter_->clear();
    filter_->addItem(tr("Any suspicious slice"));
    for (const auto& cls : f.manifestation_classes) filter_->addItem(QString::fromStdString(classLabel(cls)));
    filter_->setEnabled(!f.manifestation_classes.empty());
    filter_->setCurrentIndex(model_->manifestationFilter() + 1);
  }
  {
    const QSignalBlocker block(heatmapClass_);
    heatmapClass_->clear();
    heatmapClass_->addItem(tr("Predicted class"));
    for (const auto& cls : f.classes) heatmapClass_->addItem(QString::fromStdString(classLabel(cls)));
    const int chosen = model_->heatmapClass() + 1;  // the model keeps the choice while the classes have it
    heatmapClass_->setCurrentIndex(chosen < heatmapClass_->count() ? chosen : 0);
  }
}

void AiPanel::refreshSlice() {
  const int z = model_->currentSlice();
  if (!model_->hasSeries()) {
    sliceTitle_->setText(tr("No series open"));
    bars_->setBars({});
    manifestationTitle_->hide();
    manifestationBars_->hide();
    return;
  }
  sliceTitle_->setText(tr("Image %1 of %2").arg(z + 1).arg(model_->sliceCount()));
  bars_->setBars(model_->diagnosisBars(z), QString::fromStdString(model_->emptyBarsText()));
  auto m = model_->manifestationBars(z);  // empty when withheld, as the diagnosis bars
  const bool show = !m.empty();
  manifestationTitle_->setVisible(show);
  manifestationBars_->setVisible(show);
  manifestationBars_->setBars(std::move(m));
}

void AiPanel::refreshVerdict() {
  verdict_->setText(QString::fromStdString(model_->verdictHeadline()));
  verdictDetails_->setText(QString::fromStdString(model_->verdictDetails()));
  const bool any = model_->canGoToSuspicious();
  previous_->setEnabled(any);
  next_->setEnabled(any);
  highest_->setEnabled(model_->canGoToHighest());
}

void AiPanel::setHeatmapNote(const QString& text) {
  if (heatmapNote_->text() != text) heatmapNote_->setText(text);
  heatmapNote_->setVisible(!text.isEmpty());
}

void AiPanel::setModels(const QList<QPair<QString, QString>>& models) {
  const QSignalBlocker block(chooser_);
  chooser_->clear();
  for (const auto& [title, dir] : models) chooser_->addItem(title, dir);
  if (chooser_->count() > 0) chooser_->setCurrentIndex(0);
}

QString AiPanel::chosenModelDir() const { return chooser_->currentData().toString(); }
QString AiPanel::chosenModelTitle() const { return chooser_->currentText(); }

void AiPanel::setHeatmapShown(bool on) {
  const QSignalBlocker block(heatmap_);
  heatmap_->setChecked(on);
}

bool AiPanel::heatmapShown() const { return heatmap_->isChecked(); }
double AiPanel::heatmapOpacity() const { return opacity_->value() / 100.0; }

void AiPanel::setCurveSliceOrder(bool highIndexAtLeft) { curve_->setSliceOrder(highIndexAtLeft); }
void AiPanel::setCurveLungModel(LungModel* lung) { curve_->setLungModel(lung); }

}  // namespace lunglens::ui::ai
