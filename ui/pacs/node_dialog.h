#pragma once
// Adds or edits one PACS node: name, AE title, host, port, our AE title, DICOMweb URL and user. The password
// field is optional and goes only to the keyring (never into settings); empty means "ask when needed".
#include <QDialog>

#include "core/pacs/node.h"

class QLineEdit;
class QSpinBox;
class QLabel;
class QDialogButtonBox;

namespace lunglens::ui::pacs {

class NodeDialog : public QDialog {
  Q_OBJECT
 public:
  NodeDialog(const core::pacs::Node& node, bool keyringAvailable, QWidget* parent = nullptr);
  core::pacs::Node node() const;
  QString password() const;  // empty: leave the keyring as it is

 private:
  void validate();
  QLineEdit *name_, *aet_, *host_, *callingAet_, *url_, *user_, *password_;
  QSpinBox *port_, *timeout_;
  QLabel* problem_;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace lunglens::ui::pacs
