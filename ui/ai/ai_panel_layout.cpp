// AiPanel's constructor: the dock's widgets, their names (tests find them by objectName) and how they are laid out
// — disclaimer, model, this slice with its heatmap controls, along the series, study impression. What the widgets
// show and the signals they raise are in ai_panel.cpp (AiPanel::wire and the refresh functions).
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
// Text that changes while results stream in: repainted, not re-laid out (ui/common/steady_label.h).
SteadyLabel* steadySmall() {
  auto* l = new SteadyLabel;
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
      sliceTitle_(new SteadyLabel),
      bars_(named(new ProbabilityBars, "ai-diagnosis-bars")),
      manifestationTitle_(new QLabel(tr("COVID-19 manifestations"))),
      manifestationBars_(named(new ProbabilityBars, "ai-manifestation-bars")),
      curve_(named(new ScoreCurve(model), "ai-curve")),
      previous_(named(new QPushButton(tr("◀ Previous (P)")), "ai-previous")),
      next_(named(new QPushButton(tr("Next (N) ▶")), "ai-next")),
      highest_(named(new QPushButton(tr("Highest (J)")), "ai-highest")),
      filter_(named(new QComboBox, "ai-filter")),
      verdict_(named(new QLabel, "ai-verdict")),
      verdictDetails_(named(steadySmall(), "ai-verdict-details")),
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

  wire();
  showNoModel(tr("Looking for AI models…"));
}

}  // namespace lunglens::ui::ai
