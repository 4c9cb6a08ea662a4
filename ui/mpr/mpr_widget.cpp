#include "ui/mpr/mpr_widget.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedLayout>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/mpr/mpr_view.h"

namespace lunglens::ui::mpr {

namespace cv = core::volume;

MprWidget::MprWidget(MprModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 2, 4, 2);
  layoutButtons_ = new QButtonGroup(this);
  const char* names[3] = {"1×1", "1×3", "2×2"};
  const char* tips[3] = {"One view (the last one clicked)", "Axial, coronal, sagittal",
                         "Axial, coronal, sagittal and a thick slab"};
  for (int i = 0; i < 3; ++i) {
    auto* b = new QToolButton;
    b->setText(tr(names[i]));
    b->setToolTip(tr(tips[i]));
    b->setCheckable(true);
    b->setObjectName(QString("mpr-layout-%1").arg(i));
    layoutButtons_->addButton(b, i);
    bar->addWidget(b);
  }
  layoutButtons_->button(static_cast<int>(model_->layout()))->setChecked(true);
  link_ = new QCheckBox(tr("Link W/L, zoom, pan"));
  link_->setChecked(model_->linked());
  bar->addSpacing(12);
  bar->addWidget(link_);
  bar->addSpacing(12);
  bar->addWidget(new QLabel(tr("Slab:")));
  slabPlane_ = new QComboBox;
  slabPlane_->addItems({tr("Axial"), tr("Coronal"), tr("Sagittal")});
  slabMode_ = new QComboBox;
  slabMode_->addItems({tr("MIP"), tr("MinIP"), tr("Average")});
  slabThickness_ = new QDoubleSpinBox;
  slabThickness_->setRange(1.0, 100.0);
  slabThickness_->setSingleStep(1.0);
  slabThickness_->setDecimals(1);
  slabThickness_->setSuffix(" mm");
  slabThickness_->setValue(model_->slabThickness_mm());
  slabThickness_->setToolTip(tr("Slab thickness (the 2×2 layout's fourth view)"));
  bar->addWidget(slabPlane_);
  bar->addWidget(slabMode_);
  bar->addWidget(slabThickness_);
  bar->addStretch(1);

  auto* gridHost = new QWidget;
  grid_ = new QGridLayout(gridHost);
  grid_->setContentsMargins(0, 0, 0, 0);
  grid_->setSpacing(2);
  for (int v = 0; v < kViews; ++v) {
    views_[static_cast<std::size_t>(v)] = new MprView(model_, v);
    views_[static_cast<std::size_t>(v)]->setObjectName(QString("mpr-view-%1").arg(v));
  }
  refusal_ = new QLabel;
  refusal_->setWordWrap(true);
  refusal_->setAlignment(Qt::AlignCenter);
  refusal_->setObjectName("mpr-refusal");
  stack_ = new QStackedLayout;
  stack_->addWidget(gridHost);
  stack_->addWidget(refusal_);

  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  outer->setSpacing(0);
  outer->addLayout(bar);
  outer->addLayout(stack_, 1);

  connect(layoutButtons_, &QButtonGroup::idClicked, this,
          [this](int id) { model_->setLayout(static_cast<Layout>(id)); });
  connect(link_, &QCheckBox::toggled, model_, &MprModel::setLinked);
  connect(slabPlane_, &QComboBox::currentIndexChanged, this, &MprWidget::applySlab);
  connect(slabMode_, &QComboBox::currentIndexChanged, this, &MprWidget::applySlab);
  connect(slabThickness_, &QDoubleSpinBox::valueChanged, this, &MprWidget::applySlab);
  connect(model_, &MprModel::layoutChanged, this, &MprWidget::arrange);
  connect(model_, &MprModel::volumeChanged, this, &MprWidget::arrange);
  // 1x1 shows the view the reader last clicked in.
  connect(model_, &MprModel::cursorChanged, this, [this]() {
    for (int v = 0; v < kViews; ++v) {
      if (views_[static_cast<std::size_t>(v)]->hasFocus()) focusView_ = v;
    }
  });
  arrange();
}

void MprWidget::applySlab() {
  model_->setSlab(static_cast<cv::Plane>(slabPlane_->currentIndex()), static_cast<cv::SlabMode>(slabMode_->currentIndex()),
                  slabThickness_->value());
}

void MprWidget::arrange() {
  const bool refused = model_->volume() && !model_->hasVolume();
  refusal_->setText(refused ? tr("Reformats are not available for this series.\n%1").arg(model_->refusal()) : QString());
  stack_->setCurrentIndex(refused ? 1 : 0);
  for (auto* v : views_) {
    grid_->removeWidget(v);
    v->hide();
  }
  const Layout layout = model_->layout();
  if (auto* b = layoutButtons_->button(static_cast<int>(layout))) b->setChecked(true);
  auto place = [this](int v, int row, int col) {
    grid_->addWidget(views_[static_cast<std::size_t>(v)], row, col);
    views_[static_cast<std::size_t>(v)]->show();
  };
  for (int i = 0; i < 2; ++i) {
    grid_->setRowStretch(i, 0);
    grid_->setColumnStretch(i, 0);
    grid_->setColumnStretch(i + 1, 0);
  }
  switch (layout) {
    case Layout::One: place(focusView_, 0, 0); break;
    case Layout::OneByThree:
      for (int v = 0; v < 3; ++v) {
        place(v, 0, v);
        grid_->setColumnStretch(v, 1);
      }
      grid_->setRowStretch(0, 1);
      break;
    case Layout::TwoByTwo:
      place(0, 0, 0);
      place(1, 0, 1);
      place(2, 1, 0);
      place(kSlabView, 1, 1);
      grid_->setRowStretch(0, 1);
      grid_->setRowStretch(1, 1);
      grid_->setColumnStretch(0, 1);
      grid_->setColumnStretch(1, 1);
      break;
  }
}

}  // namespace lunglens::ui::mpr
