#include "ui/ai/scoring_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace lunglens::ui::ai {

ScoringProgress::ScoringProgress(QWidget* parent)
    : QWidget(parent), label_(new QLabel), bar_(new QProgressBar), cancel_(new QToolButton) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  bar_->setMaximumWidth(180);
  bar_->setFormat(tr("AI %v / %m"));
  bar_->setTextVisible(true);
  cancel_->setText(tr("✕"));
  cancel_->setToolTip(tr("Stop scoring this series (scores so far stay)"));
  connect(cancel_, &QToolButton::clicked, this, &ScoringProgress::cancelRequested);
  row->addWidget(label_);
  row->addWidget(bar_);
  row->addWidget(cancel_);
  bar_->hide();
  cancel_->hide();
}

void ScoringProgress::setState(bool scoring, int scored, int total) {
  scoring = scoring && total > 0;
  bar_->setVisible(scoring);
  cancel_->setVisible(scoring);
  if (scoring) {
    bar_->setRange(0, total);
    bar_->setValue(scored);
  }
  if (total <= 0 || scoring) {
    label_->clear();
  } else if (scored == total) {
    label_->setText(tr("AI: %1 slices scored").arg(total));
  } else {
    label_->setText(tr("AI stopped: %1 of %2 scored").arg(scored).arg(total));
  }
}

QString ScoringProgress::text() const { return bar_->isVisible() ? bar_->text() : label_->text(); }

}  // namespace lunglens::ui::ai
