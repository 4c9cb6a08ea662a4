#pragma once
// The export dialog: file (PNG or JPEG by extension), size (1x, 2x, or an exact width x height), what to export
// (current view, bookmarked slices, AI-suspicious slices) and "include patient data" (off by default: exports are
// anonymized unless the reader asks).
#include <QDialog>

#include "ui/annotate/export_request.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace lunglens::ui::annotate {

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  // `bookmarks` and `suspicious` say how many slices those choices cover (0 disables them).
  ExportDialog(const QString& suggestedFile, int bookmarks, int suspicious, QWidget* parent = nullptr);

  ExportRequest request() const;

 private:
  void browse();
  void updateEnabled();

  QLineEdit* file_;
  QComboBox* size_;
  QSpinBox* width_;
  QSpinBox* height_;
  QComboBox* what_;
  QCheckBox* phi_;
};

}  // namespace lunglens::ui::annotate
