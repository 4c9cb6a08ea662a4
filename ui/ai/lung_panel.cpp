#include "ui/ai/lung_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "ui/ai/score_curve.h"
#include "ui/paint/lung_layer.h"

namespace lunglens::ui::ai {

namespace {
QLabel* smallText() {
  auto* l = new QLabel;
  l->setWordWrap(true);
  l->setStyleSheet("color: #a8abb2; font-size: 11px;");
  return l;
}
SteadyLabel* steadySmallText() {
  auto* l = new SteadyLabel;
  l->setStyleSheet("color: #a8abb2; font-size: 11px;");
  return l;
}
QString css(const QColor& c) { return QString("rgb(%1,%2,%3)").arg(c.red()).arg(c.green()).arg(c.blue()); }
}  // namespace

LungPanel::LungPanel(LungModel* model, QWidget* parent)
    : QGroupBox(tr("Lung analysis (CT density)"), parent),
      model_(model),
      note_(smallText()),
      status_(new QLabel),
      table_(new QTableWidget(6, 3)),
      severity_(new QLabel),
      volumes_(new QLabel),
      involvement_(smallText()),
      slice_(steadySmallText()),
      contour_(new QCheckBox(tr("Lung contour (L)"))),
      opacities_(new QCheckBox(tr("Opacities (G)"))),
      key_(smallText()),
      heatmapNote_(smallText()) {
  setObjectName("lung-analysis");
  auto* v = new QVBoxLayout(this);
  note_->setText(tr(LungModel::kindNote()));
  note_->setStyleSheet("color: #9fd8ff; font-size: 11px;");
  v->addWidget(note_);
  status_->setWordWrap(true);
  v->addWidget(status_);

  table_->setHorizontalHeaderLabels({tr("GGO %"), tr("Consol. %"), tr("Score")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionMode(QAbstractItemView::NoSelection);
  table_->setFocusPolicy(Qt::NoFocus);
  table_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table_->setToolTip(tr("Per zone (each lung in thirds by height): % of the zone's volume in the ground-glass and "
                        "consolidation HU bands; score 0 none, 1 under 26 %, 2 26-50 %, 3 51-75 %, 4 over 75 % involved"));
  for (int i = 0; i < 6; ++i)
    table_->setVerticalHeaderItem(i, new QTableWidgetItem(
                                         QString::fromStdString(LungModel::zoneLabel(static_cast<core::lung::Zone>(i + 1)))));
  table_->setFixedHeight(table_->horizontalHeader()->sizeHint().height() + 6 * 20 + 4);
  v->addWidget(table_);
  severity_->setStyleSheet("font-size: 14px; font-weight: bold;");
  v->addWidget(severity_);
  volumes_->setWordWrap(true);  // "Lung volume: Right … · Left … · Total …" is wider than the dock
  v->addWidget(volumes_);
  v->addWidget(involvement_);
  v->addWidget(slice_);

  auto* toggles = new QHBoxLayout;
  contour_->setToolTip(tr("Draw the lungs' outline on the slice (L)"));
  opacities_->setToolTip(tr("Colour ground glass and consolidation inside the lungs by HU band (G)"));
  toggles->addWidget(contour_);
  toggles->addWidget(opacities_);
  toggles->addStretch(1);
  v->addLayout(toggles);
  key_->setTextFormat(Qt::RichText);
  v->addWidget(key_);
  heatmapNote_->hide();
  v->addWidget(heatmapNote_);

  connect(model_, &LungModel::changed, this, &LungPanel::refresh);
  refresh();
}

void LungPanel::setCurrentSlice(int z) {
  current_ = z;
  slice_->setText(QString::fromStdString(model_->sliceText(z)));
}

void LungPanel::setHeatmapNote(const QString& text) {
  heatmapNote_->setText(text);
  heatmapNote_->setVisible(!text.isEmpty());
}

void LungPanel::refresh() {
  const bool ready = model_->state() == LungModel::State::Ready;
  const QString status = QString::fromStdString(model_->statusText());
  status_->setText(status);
  status_->setVisible(!status.isEmpty());
  status_->setStyleSheet(model_->state() == LungModel::State::Failed ? "color: #ffb060;" : "");
  table_->setVisible(ready);
  for (QWidget* w : std::initializer_list<QWidget*>{severity_, volumes_, involvement_, slice_, key_})
    w->setVisible(ready);
  contour_->setEnabled(ready);
  opacities_->setEnabled(ready);
  if (!ready) return;
  const auto rows = model_->zoneRows();
  for (int i = 0; i < static_cast<int>(rows.size()) && i < 6; ++i) {
    const ZoneRow& r = rows[static_cast<std::size_t>(i)];
    const QString cells[3] = {QString::number(r.ggo_percent, 'f', 1), QString::number(r.consolidation_percent, 'f', 1),
                              QString::number(r.score)};
    for (int c = 0; c < 3; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (r.volume_ml <= 0) item->setForeground(QColor(120, 120, 120));  // zone not in the series
      table_->setItem(i, c, item);
    }
  }
  severity_->setText(QString::fromStdString(model_->severityText()));
  volumes_->setText(tr("Lung volume: %1").arg(QString::fromStdString(model_->volumesText())));
  involvement_->setText(QString::fromStdString(model_->involvementText()));
  setCurrentSlice(current_);
  const std::string bands = model_->bandsText();
  key_->setText(tr("<span style='color:%1'>━</span> contour &nbsp; <span style='color:%2'>■</span> ground glass "
                   "&nbsp; <span style='color:%3'>■</span> consolidation &nbsp; <span style='color:%4'>▒</span> "
                   "involved % on the curve<br>%5")
                    .arg(css(paint::lungContourColour()), css(paint::groundGlassColour()),
                         css(paint::consolidationColour()), css(ScoreCurve::involvementColour()),
                         QString::fromStdString(bands)));
}

}  // namespace lunglens::ui::ai
