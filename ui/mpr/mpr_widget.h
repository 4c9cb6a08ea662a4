#pragma once
// The MPR reading layout: a toolbar (layout 1x1 / 1x3 / 2x2, link toggle, slab plane, mode and thickness) over a
// grid of MprViews bound to one MprModel. 1x1 shows the view last clicked; 1x3 axial, coronal, sagittal; 2x2 adds
// the thick-slab view. A series that cannot be reformatted shows the model's refusal instead of the grid.
#include <QWidget>
#include <array>

#include "ui/mpr/mpr_model.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QStackedLayout;

namespace lunglens::ui::mpr {

class MprView;

class MprWidget : public QWidget {
  Q_OBJECT
 public:
  explicit MprWidget(MprModel* model, QWidget* parent = nullptr);

  MprModel& model() const { return *model_; }
  MprView* view(int v) const { return views_[static_cast<std::size_t>(v)]; }

 private:
  void arrange();
  void applySlab();

  MprModel* model_;
  std::array<MprView*, kViews> views_{};
  QGridLayout* grid_ = nullptr;
  QStackedLayout* stack_ = nullptr;
  QLabel* refusal_ = nullptr;
  QButtonGroup* layoutButtons_ = nullptr;
  QCheckBox* link_ = nullptr;
  QComboBox* slabPlane_ = nullptr;
  QComboBox* slabMode_ = nullptr;
  QDoubleSpinBox* slabThickness_ = nullptr;
  int focusView_ = 0;
};

}  // namespace lunglens::ui::mpr
