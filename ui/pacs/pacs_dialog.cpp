#include "ui/pacs/pacs_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <filesystem>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "ui/pacs/keyring.h"
#include "ui/pacs/node_dialog.h"
#include "ui/pacs/node_settings.h"

namespace lunglens::ui::pacs {
namespace {

namespace cp = core::pacs;
constexpr int kMaxStudies = 200;
enum Role { kStudyUid = Qt::UserRole, kSeriesUid };

QString q(const std::string& s) { return QString::fromStdString(s); }

QString niceDate(const std::string& d) {
  if (d.size() != 8) return q(d);
  return q(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2));
}

QString niceName(const std::string& pn) {
  QString s = q(pn);
  s.replace('^', ", ");
  return s.trimmed();
}

}  // namespace

PacsDialog::PacsDialog(QSettings& settings, QWidget* parent)
    : QDialog(parent),
      settings_(settings),
      keyring_(new Keyring(this)),
      retrieveRoot_(q((core::userDataDir() / "pacs").string())),
      node_(new QComboBox),
      protocol_(new QComboBox),
      modality_(new QComboBox),
      patientName_(new QLineEdit),
      patientId_(new QLineEdit),
      accession_(new QLineEdit),
      description_(new QLineEdit),
      useFrom_(new QCheckBox(tr("From"))),
      useTo_(new QCheckBox(tr("To"))),
      from_(new QDateEdit(QDate::currentDate().addYears(-1))),
      to_(new QDateEdit(QDate::currentDate())),
      results_(new QTreeWidget),
      progress_(new QProgressBar),
      search_(new QPushButton(tr("&Search"))),
      retrieve_(new QPushButton(tr("&Retrieve and open"))),
      cancel_(new QPushButton(tr("Cancel"))),
      send_(new QPushButton(tr("Send &files to node…"))),
      status_(new QLabel),
      searchJob_(this),
      retrieveJob_(this),
      progressive_(new ProgressiveSeries(this)),
      sendJob_(this) {
  setWindowTitle(tr("Open from PACS"));
  protocol_->addItem(tr("DIMSE"), static_cast<int>(cp::Protocol::Dimse));
  protocol_->addItem(tr("DICOMweb"), static_cast<int>(cp::Protocol::DicomWeb));
  modality_->addItems({tr("any"), "CT", "PT", "MR", "CR", "DX", "SR", "OT"});
  for (QDateEdit* d : {from_, to_}) {
    d->setCalendarPopup(true);
    d->setDisplayFormat("yyyy-MM-dd");
    d->setEnabled(false);
    d->setMinimumWidth(d->fontMetrics().horizontalAdvance("2000-00-00") + 48);  // the whole date, not a cut-off one
  }
  connect(useFrom_, &QCheckBox::toggled, from_, &QWidget::setEnabled);
  connect(useTo_, &QCheckBox::toggled, to_, &QWidget::setEnabled);

  auto* nodeRow = new QHBoxLayout;
  nodeRow->addWidget(new QLabel(tr("Node")));
  nodeRow->addWidget(node_, 1);
  nodeRow->addWidget(new QLabel(tr("via")));
  nodeRow->addWidget(protocol_);
  for (auto [text, slot] : {std::pair{tr("Add…"), &PacsDialog::addNode}, std::pair{tr("Edit…"), &PacsDialog::editNode},
                            std::pair{tr("Remove"), &PacsDialog::removeNode}, std::pair{tr("Test"), &PacsDialog::echoNode}}) {
    auto* b = new QPushButton(text);
    connect(b, &QPushButton::clicked, this, slot);
    nodeRow->addWidget(b);
  }

  auto* filters = new QGroupBox(tr("Search"));
  auto* grid = new QGridLayout(filters);
  grid->addWidget(new QLabel(tr("Patient name")), 0, 0);
  grid->addWidget(patientName_, 0, 1);
  grid->addWidget(new QLabel(tr("Patient ID")), 0, 2);
  grid->addWidget(patientId_, 0, 3);
  grid->addWidget(new QLabel(tr("Accession")), 0, 4);
  grid->addWidget(accession_, 0, 5);
  grid->addWidget(new QLabel(tr("Study date")), 1, 0);
  auto* dates = new QHBoxLayout;
  dates->addWidget(useFrom_);
  dates->addWidget(from_);
  dates->addWidget(useTo_);
  dates->addWidget(to_);
  grid->addLayout(dates, 1, 1);
  grid->addWidget(new QLabel(tr("Modality")), 1, 2);
  grid->addWidget(modality_, 1, 3);
  grid->addWidget(new QLabel(tr("Description")), 1, 4);
  grid->addWidget(description_, 1, 5);
  grid->addWidget(search_, 0, 6, 2, 1);
  patientName_->setPlaceholderText(tr("part of the name"));
  description_->setPlaceholderText(tr("part of the study description"));
  for (QLineEdit* e : {patientName_, patientId_, accession_, description_}) {
    connect(e, &QLineEdit::returnPressed, this, &PacsDialog::search);
  }

  results_->setColumnCount(6);
  results_->setHeaderLabels({tr("Patient / series"), tr("Patient ID"), tr("Study date"), tr("Description"),
                             tr("Modality"), tr("Images")});
  results_->setSelectionMode(QAbstractItemView::SingleSelection);
  results_->setAlternatingRowColors(true);
  results_->header()->setStretchLastSection(false);
  results_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  results_->header()->setSectionResizeMode(3, QHeaderView::Stretch);
  connect(results_, &QTreeWidget::itemDoubleClicked, this, [this] { retrieveSelected(); });
  connect(results_, &QTreeWidget::itemSelectionChanged, this, [this] {
    retrieve_->setEnabled(!busy() && !results_->selectedItems().isEmpty());
  });

  progress_->setTextVisible(true);
  progress_->hide();
  status_->setWordWrap(true);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(send_);
  buttons->addStretch(1);
  buttons->addWidget(progress_, 2);
  buttons->addWidget(cancel_);
  buttons->addWidget(retrieve_);
  auto* close = new QPushButton(tr("Close"));
  buttons->addWidget(close);
  retrieve_->setEnabled(false);
  cancel_->setEnabled(false);
  retrieve_->setDefault(false);
  search_->setDefault(true);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(nodeRow);
  layout->addWidget(filters);
  layout->addWidget(results_, 1);
  layout->addWidget(status_);
  layout->addLayout(buttons);

  connect(search_, &QPushButton::clicked, this, &PacsDialog::search);
  connect(retrieve_, &QPushButton::clicked, this, &PacsDialog::retrieveSelected);
  connect(cancel_, &QPushButton::clicked, this, &PacsDialog::cancel);
  connect(progressive_, &ProgressiveSeries::previewReady, this, &PacsDialog::previewReady);
  connect(progressive_, &ProgressiveSeries::previewClosed, this, &PacsDialog::previewClosed);
  connect(send_, &QPushButton::clicked, this, &PacsDialog::chooseAndSend);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  connect(node_, &QComboBox::currentIndexChanged, this, [this] {
    const auto n = currentNode();
    if (n) protocol_->setCurrentIndex(n->hasDimse() ? 0 : 1);
  });

  reloadNodes();
  status_->setText(nodes_.empty() ? tr("Add a PACS node (Add…) to search it.")
                                  : tr("Search, then retrieve a series (double-click) to open it."));
  resize(1100, 700);
}

PacsDialog::~PacsDialog() = default;

void PacsDialog::reloadNodes() {
  nodes_ = loadNodes(settings_);
  const QString current = node_->currentText();
  node_->clear();
  for (const auto& n : nodes_) node_->addItem(q(n.name));
  if (!current.isEmpty()) selectNode(current);
}

void PacsDialog::selectNode(const QString& name) {
  const int i = node_->findText(name);
  if (i >= 0) node_->setCurrentIndex(i);
}

void PacsDialog::setProtocol(cp::Protocol p) { protocol_->setCurrentIndex(p == cp::Protocol::Dimse ? 0 : 1); }
void PacsDialog::setPatientId(const QString& id) { patientId_->setText(id); }
QString PacsDialog::statusText() const { return status_->text(); }
bool PacsDialog::busy() const { return searchJob_.busy() || retrieveJob_.busy() || sendJob_.busy(); }

std::optional<cp::Node> PacsDialog::currentNode() const {
  const int i = node_->currentIndex();
  if (i < 0 || i >= static_cast<int>(nodes_.size())) return std::nullopt;
  return nodes_[static_cast<std::size_t>(i)];
}

void PacsDialog::addNode() {
  cp::Node fresh;
  fresh.port = 4242;
  NodeDialog d(fresh, keyring_->available(), this);
  if (d.exec() != QDialog::Accepted) return;
  auto n = d.node();
  for (const auto& other : nodes_) {
    if (other.name == n.name) return fail(tr("A node called %1 exists already.").arg(q(n.name)));
  }
  nodes_.push_back(n);
  saveNodes(settings_, nodes_);
  if (!d.password().isEmpty()) keyring_->write(Keyring::keyFor(q(n.name), q(n.username)), d.password());
  reloadNodes();
  selectNode(q(n.name));
}

void PacsDialog::editNode() {
  const int i = node_->currentIndex();
  if (i < 0) return;
  NodeDialog d(nodes_[static_cast<std::size_t>(i)], keyring_->available(), this);
  if (d.exec() != QDialog::Accepted) return;
  nodes_[static_cast<std::size_t>(i)] = d.node();
  saveNodes(settings_, nodes_);
  const auto& n = nodes_[static_cast<std::size_t>(i)];
  if (!d.password().isEmpty()) keyring_->write(Keyring::keyFor(q(n.name), q(n.username)), d.password());
  reloadNodes();
  selectNode(q(n.name));
}

void PacsDialog::removeNode() {
  const int i = node_->currentIndex();
  if (i < 0) return;
  const auto n = nodes_[static_cast<std::size_t>(i)];
  nodes_.erase(nodes_.begin() + i);
  saveNodes(settings_, nodes_);
  if (!n.username.empty()) keyring_->write(Keyring::keyFor(q(n.name), q(n.username)), QString());
  reloadNodes();
}

void PacsDialog::withConnection(std::function<void(cp::Connection)> then) {
  const auto n = currentNode();
  if (!n) return fail(tr("Choose a node first (Add… one if the list is empty)."));
  cp::Connection c{*n, static_cast<cp::Protocol>(protocol_->currentData().toInt()), {}};
  if (c.protocol == cp::Protocol::Dimse && !n->hasDimse()) return fail(tr("%1 has no AE title and host.").arg(q(n->name)));
  if (c.protocol == cp::Protocol::DicomWeb && !n->hasDicomWeb()) return fail(tr("%1 has no DICOMweb URL.").arg(q(n->name)));
  if (c.protocol == cp::Protocol::Dimse || n->username.empty()) return then(c);
  c.credentials.username = n->username;
  const QString key = Keyring::keyFor(q(n->name), q(n->username));
  if (const auto it = sessionPasswords_.find(key); it != sessionPasswords_.end()) {
    c.credentials.password = it->second.toStdString();
    return then(c);
  }
  keyring_->read(key, [this, c, key, then](Keyring::Outcome outcome, QString password) mutable {
    if (outcome == Keyring::Outcome::Found) {
      c.credentials.password = password.toStdString();
      return then(c);
    }
    std::optional<QString> typed;
    if (prompt_) {
      typed = prompt_(c.node);
    } else {
      bool ok = false;
      const QString note = outcome == Keyring::Outcome::NoKeyring
                               ? tr("No desktop keyring is available: the password is kept only while this window "
                                    "is open.")
                               : tr("It will be kept in the desktop keyring.");
      const QString text = QInputDialog::getText(this, tr("DICOMweb password"),
                                                 tr("Password of %1 on %2\n%3").arg(q(c.node.username), q(c.node.name), note),
                                                 QLineEdit::Password, QString(), &ok);
      if (ok) typed = text;
    }
    if (!typed) return;
    c.credentials.password = typed->toStdString();
    if (outcome == Keyring::Outcome::NoKeyring) sessionPasswords_[key] = *typed;
    else keyring_->write(key, *typed);
    then(c);
  });
}

cp::Query PacsDialog::query() const {
  cp::Query query;
  query.patient_name = patientName_->text().trimmed().toStdString();
  query.patient_id = patientId_->text().trimmed().toStdString();
  query.accession_number = accession_->text().trimmed().toStdString();
  query.description = description_->text().trimmed().toStdString();
  if (modality_->currentIndex() > 0) query.modality = modality_->currentText().toStdString();
  if (useFrom_->isChecked()) query.date_from = from_->date().toString("yyyyMMdd").toStdString();
  if (useTo_->isChecked()) query.date_to = to_->date().toString("yyyyMMdd").toStdString();
  return query;
}

void PacsDialog::search() {
  if (busy()) return;
  withConnection([this](cp::Connection c) {
    const cp::Query qy = query();
    setBusy(true, tr("Searching %1 (%2)…").arg(q(c.node.name), cp::protocolName(c.protocol)));
    searchJob_.start(
        [c, qy](const core::CancelToken& token, const auto&) {
          bool truncated = false;
          auto hits = searchStudies(c, qy, token, kMaxStudies, &truncated);
          return std::make_pair(std::move(hits), truncated);
        },
        {[this](std::pair<std::vector<StudyHit>, bool> r) {
           setBusy(false, {});
           showResults(r.first, r.second);
           emit searchFinished(static_cast<int>(r.first.size()));
         },
         [this](const std::string& m) {
           setBusy(false, {});
           fail(q(m));
           emit searchFinished(-1);
         },
         {}});
  });
}

void PacsDialog::showResults(const std::vector<StudyHit>& hits, bool truncated) {
  results_->clear();
  // Grouped by patient, then study, then series: a node's answer can mix several patients.
  std::map<std::string, QTreeWidgetItem*> patients;
  int series = 0;
  for (const auto& hit : hits) {
    const auto& s = hit.study;
    QTreeWidgetItem*& patient = patients[s.patient_id + "\x1f" + s.patient_name];
    if (!patient) {
      patient = new QTreeWidgetItem(results_, {niceName(s.patient_name), q(s.patient_id), {}, {}, {}, {}});
      QFont bold = patient->font(0);
      bold.setBold(true);
      patient->setFont(0, bold);
      patient->setFlags(Qt::ItemIsEnabled);
      patient->setFirstColumnSpanned(false);
    }
    const QString accession = s.accession_number.empty() ? QString() : tr(" · acc %1").arg(q(s.accession_number));
    auto* study = new QTreeWidgetItem(patient, {tr("Study") + accession, q(s.patient_id), niceDate(s.study_date),
                                                q(s.study_description), q(s.modalities),
                                                s.instances >= 0 ? QString::number(s.instances) : QString()});
    study->setData(0, kStudyUid, q(s.study_uid));
    for (const auto& m : hit.series) {
      auto* item = new QTreeWidgetItem(study, {tr("Series %1").arg(m.series_number), {}, {}, q(m.series_description),
                                               q(m.modality), m.instances >= 0 ? QString::number(m.instances) : QString()});
      item->setData(0, kStudyUid, q(s.study_uid));
      item->setData(0, kSeriesUid, q(m.series_uid));
      ++series;
    }
  }
  results_->expandAll();
  status_->setStyleSheet(QString());
  for (int c = 1; c < results_->columnCount(); ++c) {
    if (c != 3) results_->resizeColumnToContents(c);
  }
  status_->setText(hits.empty() ? tr("No study matches.")
                                : tr("%1 patients, %2 studies, %3 series%4. Double-click a series (or a study) to "
                                     "retrieve and open it.")
                                      .arg(patients.size())
                                      .arg(hits.size())
                                      .arg(series)
                                      .arg(truncated ? tr(" (first %1 studies only: narrow the search)").arg(kMaxStudies)
                                                     : QString()));
}

void PacsDialog::retrieveSelected() {
  if (busy()) return;
  const auto items = results_->selectedItems();
  if (items.isEmpty() || items[0]->data(0, kStudyUid).toString().isEmpty()) {
    return fail(tr("Select a study or a series to retrieve."));
  }
  const QString study = items[0]->data(0, kStudyUid).toString();
  const QString seriesUid = items[0]->data(0, kSeriesUid).toString();
  const QString folder = retrieveRoot_ + "/" + study + "/" + (seriesUid.isEmpty() ? QString("study") : seriesUid);
  if (std::filesystem::exists(folder.toStdString())) {
    // Only complete retrievals are ever moved into place, so an existing folder is the whole series.
    status_->setText(tr("Already retrieved: opening %1").arg(folder));
    emit openRequested(folder, seriesUid);
    emit retrieveFinished(true);
    return;
  }
  withConnection([this, study, seriesUid, folder](cp::Connection c) {
    retrievingSeries_ = seriesUid;
    setBusy(true, tr("Retrieving from %1 (%2)… The series shows as its images arrive; AI and lung analysis start "
                     "once it is complete.")
                      .arg(q(c.node.name), cp::protocolName(c.protocol)));
    progressive_->begin(seriesUid);
    retrieveJob_.start(
        [c, study, seriesUid, folder, hook = arrivalHook_](const core::CancelToken& token, const auto& report) {
          cp::TransferOptions options;
          options.cancel = token;
          std::filesystem::path last;
          options.arrived = [&last](const std::filesystem::path& file) { last = file; };
          options.progress = [&report, &last, &hook](int done, int total) {
            report({done, total, last});
            if (hook) hook(done, total);
          };
          cp::retrieve(c, study.toStdString(), seriesUid.toStdString(), folder.toStdString(), options);
          return folder;
        },
        {[this](QString done) {
           progressive_->finish();
           setBusy(false, tr("Retrieved into %1; opening it.").arg(done));
           emit openRequested(done, retrievingSeries_);
           emit retrieveFinished(true);
         },
         [this](const std::string& m) {
           progressive_->abort();
           setBusy(false, {});
           fail(q(m) + tr("\nNothing was kept: retrieved images are only moved into place once all have arrived."));
           emit retrieveFinished(false);
         },
         [this](const Arrival& a) {
           progress_->setRange(0, std::max(a.total, a.done));
           progress_->setValue(a.done);
           progress_->setFormat(a.total >= 0 ? tr("%1 of %2 images").arg(a.done).arg(a.total)
                                             : tr("%1 images").arg(a.done));
           if (!a.file.empty()) progressive_->fileArrived(a.file, a.total);
         }});
  });
}

void PacsDialog::chooseAndSend() {
  const QStringList files = QFileDialog::getOpenFileNames(
      this, tr("DICOM files to send (e.g. LungLens's Secondary Captures and SR)"), QString(),
      tr("DICOM files (*.dcm);;All files (*)"));
  if (!files.isEmpty()) sendFiles(files);
}

void PacsDialog::sendFiles(const QStringList& files) {
  if (busy() || files.isEmpty()) return;
  withConnection([this, files](cp::Connection c) {
    setBusy(true, tr("Sending %1 files to %2 (%3)…").arg(files.size()).arg(q(c.node.name), cp::protocolName(c.protocol)));
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files) paths.emplace_back(f.toStdString());
    sendJob_.start(
        [c, paths](const core::CancelToken& token, const auto& report) {
          cp::TransferOptions options;
          options.cancel = token;
          options.progress = [&report](int done, int total) { report({done, total}); };
          return cp::store(c, paths, options);
        },
        {[this](int n) {
           setBusy(false, tr("Sent %1 files.").arg(n));
           emit sendFinished(true);
         },
         [this](const std::string& m) {
           setBusy(false, {});
           fail(q(m));
           emit sendFinished(false);
         },
         [this](std::pair<int, int> p) {
           progress_->setRange(0, p.second);
           progress_->setValue(p.first);
         }});
  });
}

void PacsDialog::echoNode() {
  if (busy()) return;
  withConnection([this](cp::Connection c) {
    setBusy(true, tr("Testing %1…").arg(q(c.node.name)));
    sendJob_.start([c](const core::CancelToken&, const auto&) {
      cp::echo(c);
      return 0;
    },
                   {[this, c](int) { setBusy(false, tr("%1 answers (%2).").arg(q(c.node.label()), cp::protocolName(c.protocol))); },
                    [this](const std::string& m) {
                      setBusy(false, {});
                      fail(q(m));
                    },
                    {}});
  });
}

void PacsDialog::cancel() {
  searchJob_.cancel();
  retrieveJob_.cancel();
  progressive_->abort();
  sendJob_.cancel();
  setBusy(false, tr("Cancelled; nothing half-retrieved was kept."));
}

void PacsDialog::setBusy(bool busy, const QString& what) {
  search_->setEnabled(!busy);
  send_->setEnabled(!busy);
  retrieve_->setEnabled(!busy && !results_->selectedItems().isEmpty());
  cancel_->setEnabled(busy);
  node_->setEnabled(!busy);
  protocol_->setEnabled(!busy);
  if (busy) {
    progress_->setRange(0, 0);
    progress_->setFormat(QString());
    progress_->show();
  } else {
    progress_->hide();
  }
  if (!what.isEmpty()) {
    status_->setStyleSheet(QString());
    status_->setText(what);
  }
}

void PacsDialog::fail(const QString& message) {
  status_->setText(message);
  status_->setStyleSheet("color: #e0a040");  // back to normal at the next message that is not an error
}

}  // namespace lunglens::ui::pacs
