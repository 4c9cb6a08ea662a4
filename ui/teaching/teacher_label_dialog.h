#pragma once
// The teacher's own answer for a slice: diagnosis, manifestations and a note (shown beside the AI's in the
// gallery and revealed with it in presentation mode).
#include <QDialog>

#include "core/library/records.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace lunglens::ui::teaching {

class TeacherLabelDialog : public QDialog {
  Q_OBJECT
 public:
  TeacherLabelDialog(const core::library::TeacherLabel& current, const QString& title, QWidget* parent = nullptr);
  core::library::TeacherLabel label() const;

 private:
  QComboBox* diagnosis_;
  std::vector<std::pair<std::string, QCheckBox*>> manifestations_;
  QLineEdit* note_;
};

}  // namespace lunglens::ui::teaching
