#include "ui/ai/ood_banner.h"

#include <QCheckBox>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include "ui/ai/ai_scores_model.h"

namespace lunglens::ui::ai {

OodBanner::OodBanner(AiScoresModel* model, QWidget* parent)
    : QWidget(parent),
      model_(model),
      warning_(new QLabel),
      showAnyway_(new QCheckBox(tr("Show scores anyway"))),
      noGuard_(new QLabel(tr("This model has no out-of-distribution guard: it cannot tell when a scan is unlike "
                             "its training data."))) {
  auto* v = new QVBoxLayout(this);
  v->setContentsMargins(0, 0, 0, 0);
  warning_->setWordWrap(true);
  warning_->setStyleSheet(
      "background: #5c1f1f; color: #ffe3e3; font-weight: bold; border-radius: 4px; padding: 6px;");
  v->addWidget(warning_);
  // Greyed: a choice the reader can make, not one the panel recommends.
  showAnyway_->setStyleSheet("color: #8b8f98;");
  showAnyway_->setToolTip(tr("Shows the scores, verdict and heatmaps of this series with the warning kept"));
  v->addWidget(showAnyway_);
  noGuard_->setWordWrap(true);
  noGuard_->setStyleSheet("color: #c9a56a; font-size: 11px;");
  v->addWidget(noGuard_);
  connect(showAnyway_, &QCheckBox::toggled, model_, &AiScoresModel::setShowAnyway);
  connect(model_, &AiScoresModel::seriesChanged, this, &OodBanner::refresh);
  connect(model_, &AiScoresModel::scoresChanged, this, &OodBanner::refresh);
  connect(model_, &AiScoresModel::settingsChanged, this, &OodBanner::refresh);
  refresh();
}

QString OodBanner::warningText() const { return warning_->isVisible() ? warning_->text() : QString(); }
bool OodBanner::showAnywayChecked() const { return showAnyway_->isChecked(); }
void OodBanner::setShowAnyway(bool show) { showAnyway_->setChecked(show); }

void OodBanner::refresh() {
  const bool out = model_->hasSeries() && model_->outOfDistribution();
  const QString text = QString::fromStdString(model_->oodWarning());
  if (warning_->text() != text) warning_->setText(text);
  warning_->setVisible(out);
  showAnyway_->setVisible(out);
  {
    const QSignalBlocker block(showAnyway_);
    showAnyway_->setChecked(model_->showAnyway());
  }
  noGuard_->setVisible(model_->hasSeries() && !model_->facts().ood_guarded);
}

}  // namespace lunglens::ui::ai
