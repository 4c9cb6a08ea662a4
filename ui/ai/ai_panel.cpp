#include "ui/ai/ai_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QStackedWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "core/common/disclaimer.h"
#include "ui/ai/ood_banner.h"
#include "ui/ai/probability_bars.h"
#include "ui/ai/score_curve.h"

namespace lunglens::ui::ai {

namespace {
QLabel* wrapped(const QString& text = {}) {
  auto* l = new QLabel(text);
  l->setWordWrap(true);
  return l;
}
QLabel* small(const QString& text = {}) {
  auto* l = wrapped(text);
  l->setStyleSheet("color: #a8abb2; font-size: 11px;");
  return l;
}
// Tests find the panel's widgets by name.
template <typename W>
W* named(W* w, const char* name) {
  w->setObjectName(name);
  return w;
}
}  // namespace

AiPanel::AiPanel(AiScoresModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      stack_(new QStackedWidget),
      noModel_(named(wrapped(), "ai-no-model")),
      sliceTitle_(new QLabel),
      bars_(named(new ProbabilityBars, "ai-diagnosis-bars")),
      manifestationTitle_(new QLabel(tr("COVID-19 manifestations"))),
      manifestationBars_(named(new ProbabilityBars, "ai-manifestation-bars")),
      curve_(named(new ScoreCurve(model), "ai-curve")),
      previous_(named(new QPushButton(tr("◀ Previous (P)")), "ai-previous")),
      next_(named(new QPushButton(tr("Next (N) ▶")), "ai-next")),
      highest_(named(new QPushButton(tr("Highest (J)")), "ai-highest")),
      filter_(named(new QComboBox, "ai-filter")),
      verdict_(named(new QLabel, "ai-verdict")),
      verdictDetails_(named(small(), "ai-verdict-details")),
      threshold_(named(new QDoubleSpinBox, "ai-threshold")),
      heatmap_(named(new QCheckBox(tr("Heatmap (H)")), "ai-heatmap")),
      heatmapClass_(named(new QComboBox, "ai-heatmap-class")),
      colours_(named(new QComboBox, "ai-heatmap-colours")),
      opacity_(named(new QSlider(Qt::Horizontal), "ai-heatmap-opacity")),
      heatmapNote_(named(small(), "ai-heatmap-note")),
      chooser_(named(new QComboBox, "ai-model-chooser")),
      rerun_(named(new QPushButton(tr("Re-run")), "ai-rerun")),
      modelName_(wrapped()),
      provenance_(small()),
      badge_(named(new QLabel(tr("TRAINED ON SYNTHETIC PHANTOMS")), "ai-synthetic-badge")),
      note_(small()),
      verdictTimer_(new QTimer(this)) {
  verdictTimer_->setSingleShot(true);
  verdictTimer_->setInterval(60);
  connect(verdictTimer_, &QTimer::timeout, this, &AiPanel::refreshVerdict);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(6, 6, 6, 6);

  // Always visible at the top: what this is (and is not).
  auto* disclaimer = new QLabel(QString::fromUtf8(core::kDisclaimer));
  disclaimer->setStyleSheet("color: #ffd27a; font-weight: bold;");
  outer->addWidget(disclaimer);

  noModel_->setStyleSheet("font-size: 15px; color: #d0d3da; padding: 12px 0;");
  noModel_->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  // Without a model: the reason, and the lung analysis (it needs no model) below it.
  auto* noModelPage = new QWidget;
  noModelLayout_ = new QVBoxLayout(noModelPage);
  noModelLayout_->setContentsMargins(0, 0, 0, 0);
  noModelLayout_->addWidget(noModel_);
  noModelLayout_->addStretch(1);
  auto* noModelScroll = new QScrollArea;
  noModelScroll->setWidget(noModelPage);
  noModelScroll->setWidgetResizable(true);
  noModelScroll->setFrameShape(QFrame::NoFrame);
  noModelScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  stack_->addWidget(noModelScroll);

  auto* content = new QWidget;
  auto* v = new QVBoxLayout(content);
  contentLayout_ = v;
  v->setContentsMargins(0, 0, 0, 0);

  // Model: chooser and provenance.
  auto* modelBox = new QGroupBox(tr("Model"));
  auto* mv = new QVBoxLayout(modelBox);
  auto* chooserRow = new QHBoxLayout;
  chooser_->setToolTip(tr("Installed diagnosis models"));
  chooser_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  chooser_->setMinimumContentsLength(14);
  rerun_->setToolTip(tr("Score the series again with the chosen model"));
  chooserRow->addWidget(chooser_, 1);
  chooserRow->addWidget(rerun_);
  mv->addLayout(chooserRow);
  mv->addWidget(modelName_);
  badge_->setStyleSheet(
      "background: #8a4b00; color: #fff2d6; font-weight: bold; font-size: 11px; border-radius: 4px; padding: 2px 6px;");
  badge_->setToolTip(tr("This model learned from computer-generated phantom scans, not from patients."));
  mv->addWidget(badge_, 0, Qt::AlignLeft);
  mv->addWidget(provenance_);
  mv->addWidget(note_);
  v->addWidget(modelBox);
  oodBanner_ = named(new OodBanner(model_), "ai-ood-banner");
  v->addWidget(oodBanner_);

  // The shown slice.
  auto* sliceBox = new QGroupBox(tr("This slice"));
  auto* sv = new QVBoxLayout(sliceBox);
  sv->addWidget(sliceTitle_);
  sv->addWidget(bars_);
  sv->addWidget(manifestationTitle_);
  sv->addWidget(manifestationBars_);
  // Its heatmap: on/off, which class it explains, colours and opacity.
  auto* heat = new QGridLayout;
  heat->setContentsMargins(0, 4, 0, 0);
  heatmap_->setChecked(false);
  heatmap_->setToolTip(tr("Grad-CAM: where on this slice the model found evidence for the class (H)"));
  heatmapClass_->setToolTip(tr("Which class the heatmap explains"));
  colours_->addItems({tr("Rainbow"), tr("Hot"), tr("Viridis (colour-blind safe)")});
  colours_->setToolTip(tr("Heatmap colours"));
  opacity_->setRange(0, 100);
  opacity_->setValue(80);
  opacity_->setToolTip(tr("Heatmap opacity"));
  heat->addWidget(heatmap_, 0, 0);
  heat->addWidget(heatmapClass_, 0, 1);
  heat->addWidget(colours_, 1, 0);
  auto* opacityRow = new QHBoxLayout;
  opacityRow->addWidget(new QLabel(tr("Opacity")));
  opacityRow->addWidget(opacity_, 1);
  heat->addLayout(opacityRow, 1, 1);
  // Why no map is drawn, when that is by design. Only on slices called normal, which have no manifestation bars,
  // so the box is still shorter than on a diseased slice.
  heatmapNote_->hide();
  heat->addWidget(heatmapNote_, 2, 0, 1, 2);
  heat->setColumnStretch(1, 1);
  sv->addLayout(heat);
  v->addWidget(sliceBox);

  // Along the series.
  auto* seriesBox = new QGroupBox(tr("Along the series"));
  auto* cv = new QVBoxLayout(seriesBox);
  cv->addWidget(curve_, 1);
  auto* legend =
      small(tr("<span style='color:#ff6040'>━ COVID-19</span> "
               "<span style='color:#fac83c'>━ Other pneumonia</span> "
               "<span style='color:#5abe82'>━ Normal</span> "
               "<span style='color:#ff6040'>┄</span> threshold "
               "<span style='color:#be8cff'>▒</span> lung involved % (CT density) "
               "<span style='color:#9a9ea6'>▨</span> no lung: not counted"));
  legend->setTextFormat(Qt::RichText);
  cv->addWidget(legend);
  auto* nav = new QHBoxLayout;
  previous_->setToolTip(tr("Previous suspicious slice (P)"));
  next_->setToolTip(tr("Next suspicious slice (N)"));
  highest_->setToolTip(tr("The slice with the highest COVID-19 probability (J)"));
  nav->addWidget(previous_);
  nav->addWidget(next_);
  nav->addWidget(highest_);
  cv->addLayout(nav);
  auto* filterRow = new QFormLayout;
  filter_->setToolTip(tr("Only stop at suspicious slices showing this manifestation"));
  filterRow->addRow(tr("Stop at:"), filter_);
  cv->addLayout(filterRow);
  v->addWidget(seriesBox, 1);

  // Study verdict.
  auto* verdictBox = new QGroupBox(tr("Study impression (AI)"));
  auto* vv = new QVBoxLayout(verdictBox);
  verdict_->setStyleSheet("font-size: 16px; font-weight: bold;");
  vv->addWidget(verdict_);
  vv->addWidget(verdictDetails_);
  auto* thresholdRow = new QFormLayout;
  threshold_->setRange(0.05, 0.95);
  threshold_->setSingleStep(0.05);
  threshold_->setDecimals(2);
  threshold_->setToolTip(tr("Decision threshold for COVID-19: slices at or above it count as suspicious"));
  thresholdRow->addRow(tr("COVID-19 threshold:"), threshold_);
  vv->addLayout(thresholdRow);
  v->addWidget(verdictBox);

  auto* scroll = new QScrollArea;
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  stack_->addWidget(scroll);
  outer->addWidget(stack_, 1);

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
  showNoModel(tr("Looking for AI models…"));
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
