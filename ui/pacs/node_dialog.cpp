#include "ui/pacs/node_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>

#include "core/common/error.h"

namespace lunglens::ui::pacs {

NodeDialog::NodeDialog(const core::pacs::Node& node, bool keyringAvailable, QWidget* parent)
    : QDialog(parent),
      name_(new QLineEdit(QString::fromStdString(node.name))),
      aet_(new QLineEdit(QString::fromStdString(node.called_aet))),
      host_(new QLineEdit(QString::fromStdString(node.host))),
      callingAet_(new QLineEdit(QString::fromStdString(node.calling_aet))),
      url_(new QLineEdit(QString::fromStdString(node.dicomweb_url))),
      user_(new QLineEdit(QString::fromStdString(node.username))),
      password_(new QLineEdit),
      port_(new QSpinBox),
      timeout_(new QSpinBox),
      problem_(new QLabel) {
  setWindowTitle(tr("PACS node"));
  port_->setRange(1, 65535);
  port_->setValue(node.port);
  timeout_->setRange(1, 600);
  timeout_->setSuffix(tr(" s"));
  timeout_->setValue(node.timeout_s);
  aet_->setMaxLength(16);
  callingAet_->setMaxLength(16);
  url_->setPlaceholderText("http://pacs.example:8042/dicom-web");
  password_->setEchoMode(QLineEdit::Password);
  password_->setPlaceholderText(keyringAvailable ? tr("stored in the desktop keyring; empty: ask when needed")
                                                 : tr("no keyring: asked each time, never stored"));
  password_->setEnabled(keyringAvailable);
  problem_->setStyleSheet("color: #e0a040");
  problem_->setWordWrap(true);

  auto* form = new QFormLayout(this);
  form->addRow(tr("Name"), name_);
  form->addRow(new QLabel(tr("<b>DIMSE</b> (C-ECHO, C-FIND, C-GET, C-STORE)")));
  form->addRow(tr("AE title"), aet_);
  form->addRow(tr("Host"), host_);
  form->addRow(tr("Port"), port_);
  form->addRow(tr("Our AE title"), callingAet_);
  form->addRow(new QLabel(tr("<b>DICOMweb</b> (QIDO-RS, WADO-RS, STOW-RS)")));
  form->addRow(tr("Base URL"), url_);
  form->addRow(tr("User"), user_);
  form->addRow(tr("Password"), password_);
  form->addRow(tr("Timeout"), timeout_);
  form->addRow(problem_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  for (QLineEdit* e : {name_, aet_, host_, callingAet_, url_}) connect(e, &QLineEdit::textChanged, this, &NodeDialog::validate);
  connect(this, &QDialog::finished, this, [this] { password_->clear(); });
  validate();
  setMinimumWidth(460);
  buttons_ = buttons;
}

core::pacs::Node NodeDialog::node() const {
  core::pacs::Node n;
  n.name = name_->text().trimmed().toStdString();
  n.called_aet = aet_->text().trimmed().toStdString();
  n.host = host_->text().trimmed().toStdString();
  n.port = port_->value();
  n.calling_aet = callingAet_->text().trimmed().toStdString();
  n.dicomweb_url = url_->text().trimmed().toStdString();
  n.username = user_->text().trimmed().toStdString();
  n.timeout_s = timeout_->value();
  return n;
}

QString NodeDialog::password() const { return password_->text(); }

void NodeDialog::validate() {
  QString problem;
  const auto n = node();
  if (n.name.empty()) problem = tr("Give the node a name.");
  else if (!n.hasDimse() && !n.hasDicomWeb()) problem = tr("Give an AE title and host, or a DICOMweb URL.");
  try {
    if (!n.called_aet.empty()) core::pacs::checkAeTitle(n.called_aet, "AE title");
    core::pacs::checkAeTitle(n.calling_aet, "our AE title");
  } catch (const core::InputError& e) {
    problem = QString::fromStdString(e.what());
  }
  if (!n.dicomweb_url.empty()) {
    const QUrl url(QString::fromStdString(n.dicomweb_url));
    if (!url.isValid() || (url.scheme() != "http" && url.scheme() != "https") || url.host().isEmpty()) {
      problem = tr("The DICOMweb URL must start with http:// or https://");
    } else if (url.scheme() == "http" && !n.username.empty() && url.host() != "127.0.0.1" && url.host() != "localhost") {
      problem = tr("Note: over plain http the password crosses the network readable; prefer https.");
    }
  }
  problem_->setText(problem);
  if (buttons_) buttons_->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty() || problem.startsWith(tr("Note")));
}

}  // namespace lunglens::ui::pacs
