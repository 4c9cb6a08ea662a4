#include "ui/annotate/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace lunglens::ui::annotate {

ExportDialog::ExportDialog(const QString& suggestedFile, int bookmarks, int suspicious, QWidget* parent)
    : QDialog(parent),
      file_(new QLineEdit(suggestedFile)),
      size_(new QComboBox),
      width_(new QSpinBox),
      height_(new QSpinBox),
      what_(new QComboBox),
      phi_(new QCheckBox(tr("Include patient data (name, ID, birth date, accession, institution)"))) {
  setWindowTitle(tr("Export Image"));
  auto* form = new QFormLayout(this);

  auto* fileRow = new QHBoxLayout;
  auto* browse = new QPushButton(tr("Browse…"));
  fileRow->addWidget(file_, 1);
  fileRow->addWidget(browse);
  form->addRow(tr("File (PNG or JPEG):"), fileRow);
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);

  size_->addItem(tr("1× (native)"));
  size_->addItem(tr("2×"));
  size_->addItem(tr("Custom size"));
  for (QSpinBox* s : {width_, height_}) {
    s->setRange(64, 8192);
    s->setSuffix(" px");
  }
  width_->setValue(1600);
  height_->setValue(1200);
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(size_);
  sizeRow->addWidget(width_);
  sizeRow->addWidget(height_);
  form->addRow(tr("Size:"), sizeRow);

  what_->addItem(tr("Current view"));
  what_->addItem(tr("Bookmarked slices (%1)").arg(bookmarks));
  what_->addItem(tr("AI-suspicious slices (%1)").arg(suspicious));
  form->addRow(tr("Export:"), what_);
  phi_->setChecked(false);
  form->addRow(phi_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(size_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateEnabled);
  connect(what_, &QComboBox::currentIndexChanged, this, &ExportDialog::updateEnabled);
  connect(file_, &QLineEdit::textChanged, this, &ExportDialog::updateEnabled);
  what_->setItemData(1, bookmarks > 0 ? QVariant() : QVariant(0), Qt::UserRole - 1);  // 0 = disabled item
  what_->setItemData(2, suspicious > 0 ? QVariant() : QVariant(0), Qt::UserRole - 1);
  updateEnabled();
}

void ExportDialog::browse() {
  const QString file = QFileDialog::getSaveFileName(this, tr("Export Image"), file_->text(),
                                                    tr("PNG image (*.png);;JPEG image (*.jpg *.jpeg)"));
  if (!file.isEmpty()) file_->setText(file);
}

void ExportDialog::updateEnabled() {
  const bool custom = size_->currentIndex() == 2;
  width_->setEnabled(custom);
  height_->setEnabled(custom);
  const QString f = file_->text().toLower();
  const bool known = f.endsWith(".png") || f.endsWith(".jpg") || f.endsWith(".jpeg");
  if (auto* ok = findChild<QDialogButtonBox*>()) ok->button(QDialogButtonBox::Ok)->setEnabled(known);
}

ExportRequest ExportDialog::request() const {
  ExportRequest r;
  r.file = file_->text().toStdString();
  switch (size_->currentIndex()) {
    case 1: r.size.scale = 2.0; break;
    case 2:
      r.size.width = width_->value();
      r.size.height = height_->value();
      break;
    default: r.size.scale = 1.0; break;
  }
  r.what = static_cast<ExportWhat>(what_->currentIndex());
  r.include_phi = phi_->isChecked();
  return r;
}

}  // namespace lunglens::ui::annotate
