#include "ui/mpr/comparison_widget.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "ui/mpr/mpr_view.h"

namespace lunglens::ui::mpr {

ComparisonWidget::ComparisonWidget(ComparisonModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 2, 4, 2);
  sync_ = new QCheckBox(tr("Scroll together"));
  sync_->setChecked(model_->synced());
  registration_ = new QLabel;
  offset_ = new QDoubleSpinBox;
  offset_->setRange(-2000.0, 2000.0);
  offset_->setDecimals(1);
  offset_->setSingleStep(1.0);
  offset_->setSuffix(" mm");
  offset_->setToolTip(tr("Right series position minus left, along the slice normal"));
  bar->addWidget(sync_);
  bar->addSpacing(12);
  bar->addWidget(registration_);
  bar->addWidget(offset_);
  bar->addStretch(1);

  auto* grid = new QGridLayout;
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setSpacing(2);
  for (int i = 0; i < 2; ++i) {
    titles_[i] = new QLabel;
    titles_[i]->setAlignment(Qt::AlignCenter);
    titles_[i]->setObjectName(QString("compare-title-%1").arg(i));
    views_[i] = new MprView(&model_->side(i), 0);
    views_[i]->setObjectName(QString("compare-view-%1").arg(i));
    grid->addWidget(titles_[i], 0, i);
    grid->addWidget(views_[i], 1, i);
    grid->setColumnStretch(i, 1);
  }
  grid->setRowStretch(1, 1);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(0);
  outer->addLayout(bar);
  outer->addLayout(grid, 1);

  connect(sync_, &QCheckBox::toggled, model_, &ComparisonModel::setSynced);
  connect(offset_, &QDoubleSpinBox::valueChanged, model_, &ComparisonModel::setOffset_mm);
  connect(model_, &ComparisonModel::changed, this, &ComparisonWidget::refresh);
  refresh();
}

void ComparisonWidget::refresh() {
  for (int i = 0; i < 2; ++i) titles_[i]->setText(model_->title(i));
  QString text = model_->registered() ? tr("Registered by frame of reference (same patient position)")
                                      : tr("Not registered (different frames of reference): manual offset");
  if (!model_->partnerInside()) text += tr("  —  the right series does not cover this position");
  registration_->setText(text);
  offset_->setVisible(!model_->registered());
  const QSignalBlocker block(offset_);
  offset_->setValue(model_->offset_mm());
}

}  // namespace lunglens::ui::mpr
