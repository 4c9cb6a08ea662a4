#pragma once
// Labelled probability bars (one per class): the class, a bar filled to the probability in the class colour with
// the class threshold marked, and the value as a percentage. Classes over their threshold are written bold.
#include <QWidget>
#include <vector>

#include "ui/ai/ai_scores_model.h"

namespace lunglens::ui::ai {

class ProbabilityBars : public QWidget {
  Q_OBJECT
 public:
  explicit ProbabilityBars(QWidget* parent = nullptr);
  void setBars(std::vector<Bar> bars, const QString& emptyText = {});
  const std::vector<Bar>& bars() const { return bars_; }
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return sizeHint(); }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  std::vector<Bar> bars_;
  QString emptyText_;
};

}  // namespace lunglens::ui::ai
