#include "ui/teaching/teacher_label_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QVBoxLayout>
#include <algorithm>

#include "core/export/ai_results.h"

namespace lunglens::ui::teaching {

TeacherLabelDialog::TeacherLabelDialog(const core::library::TeacherLabel& current, const QString& title,
                                       QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(title);
  diagnosis_ = new QComboBox(this);
  diagnosis_->addItem(tr("(none)"), QString());
  for (const char* c : {"covid", "other_pneumonia", "normal"})
    diagnosis_->addItem(QString::fromStdString(core::exporting::displayClassName(c)), QString(c));
  diagnosis_->setCurrentIndex(std::max(0, diagnosis_->findData(QString::fromStdString(current.diagnosis))));
  auto* boxes = new QVBoxLayout;
  for (const char* m : {"ggo", "consolidation", "fibrotic_streaks"}) {
    auto* box = new QCheckBox(QString::fromStdString(core::exporting::displayClassName(m)), this);
    box->setChecked(std::find(current.manifestations.begin(), current.manifestations.end(), m) !=
                    current.manifestations.end());
    boxes->addWidget(box);
    manifestations_.emplace_back(m, box);
  }
  note_ = new QLineEdit(QString::fromStdString(current.note), this);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* form = new QFormLayout(this);
  form->addRow(tr("Diagnosis"), diagnosis_);
  form->addRow(tr("Manifestations"), boxes);
  form->addRow(tr("Note"), note_);
  form->addRow(buttons);
}

core::library::TeacherLabel TeacherLabelDialog::label() const {
  core::library::TeacherLabel out;
  out.diagnosis = diagnosis_->currentData().toString().toStdString();
  for (const auto& [name, box] : manifestations_)
    if (box->isChecked()) out.manifestations.push_back(name);
  out.note = note_->text().trimmed().toStdString();
  return out;
}

}  // namespace lunglens::ui::teaching
