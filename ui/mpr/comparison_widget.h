#pragma once
// The comparison layout: two series' axial views side by side under their titles, with a bar that says how they
// are registered (frame of reference, or a manual offset the reader adjusts) and a toggle to scroll them together.
#include <QWidget>

#include "ui/mpr/comparison_model.h"

class QCheckBox;
class QDoubleSpinBox;
class QLabel;

namespace lunglens::ui::mpr {

class MprView;

class ComparisonWidget : public QWidget {
  Q_OBJECT
 public:
  explicit ComparisonWidget(ComparisonModel* model, QWidget* parent = nullptr);

  ComparisonModel& model() const { return *model_; }
  MprView* view(int side) const { return views_[side == 0 ? 0 : 1]; }

 private:
  void refresh();

  ComparisonModel* model_;
  MprView* views_[2] = {nullptr, nullptr};
  QLabel* titles_[2] = {nullptr, nullptr};
  QLabel* registration_ = nullptr;
  QCheckBox* sync_ = nullptr;
  QDoubleSpinBox* offset_ = nullptr;
};

}  // namespace lunglens::ui::mpr
