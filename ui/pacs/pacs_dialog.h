#pragma once
// File ▸ Open from PACS…: the node list, a search (patient name/ID, accession, study date range, modality,
// description), results grouped by patient study with their series, retrieval of a series or study with progress
// and cancel, and sending DICOM exports (Secondary Capture, SR) to the node.
//
// Retrieval writes into the user's data folder (pacs/<study>/<series>) through core/pacs' staging folder, so a
// folder that exists is complete; the series opens in the viewer when the last image has arrived (the loader needs
// every slice's position to build the volume, so it cannot open a series while it arrives; the dialog says so).
// Network work runs in ui::AsyncJob; DICOMweb passwords come from the keyring or a prompt, never from settings.
#include <QDialog>
#include <QStringList>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/pacs/client.h"
#include "ui/common/async_job.h"
#include "ui/pacs/study_search.h"

class QComboBox;
class QLineEdit;
class QDateEdit;
class QCheckBox;
class QTreeWidget;
class QProgressBar;
class QPushButton;
class QLabel;
class QSettings;

namespace lunglens::ui::pacs {

class Keyring;

class PacsDialog : public QDialog {
  Q_OBJECT
 public:
  // `settings` holds the node list (not owned; must outlive the dialog).
  PacsDialog(QSettings& settings, QWidget* parent = nullptr);
  ~PacsDialog() override;

  // Where retrieved series go (default: userDataDir()/pacs).
  void setRetrieveRoot(const QString& folder) { retrieveRoot_ = folder; }
  // Replaces the password prompt (tests); returns nullopt when the user cancels.
  void setPasswordPrompt(std::function<std::optional<QString>(const core::pacs::Node&)> prompt) {
    prompt_ = std::move(prompt);
  }
  // For tests and scripted use: the controls by name.
  void selectNode(const QString& name);
  void setProtocol(core::pacs::Protocol p);
  void setPatientId(const QString& id);
  void search();
  void retrieveSelected();
  void sendFiles(const QStringList& files);
  void cancel();
  QTreeWidget& results() const { return *results_; }
  QString statusText() const;
  bool busy() const;

 signals:
  // A retrieved series (or study) is complete in `folder`: open it (series_uid empty: the default series).
  void openRequested(const QString& folder, const QString& series_uid);
  void searchFinished(int studies);
  void retrieveFinished(bool ok);
  void sendFinished(bool ok);

 private:
  void reloadNodes();
  void addNode();
  void editNode();
  void removeNode();
  void echoNode();
  void chooseAndSend();
  core::pacs::Query query() const;
  std::optional<core::pacs::Node> currentNode() const;
  // Resolves the connection (asking the keyring, then the user, for a DICOMweb password) and calls `then`.
  void withConnection(std::function<void(core::pacs::Connection)> then);
  void showResults(const std::vector<StudyHit>& hits, bool truncated);
  void setBusy(bool busy, const QString& what);
  void fail(const QString& message);

  QSettings& settings_;
  Keyring* keyring_;
  std::vector<core::pacs::Node> nodes_;
  std::map<QString, QString> sessionPasswords_;  // only while the dialog lives, when there is no keyring
  QString retrieveRoot_;
  std::function<std::optional<QString>(const core::pacs::Node&)> prompt_;

  QComboBox *node_, *protocol_, *modality_;
  QLineEdit *patientName_, *patientId_, *accession_, *description_;
  QCheckBox *useFrom_, *useTo_;
  QDateEdit *from_, *to_;
  QTreeWidget* results_;
  QProgressBar* progress_;
  QPushButton *search_, *retrieve_, *cancel_, *send_;
  QLabel* status_;
  AsyncJob<std::pair<std::vector<StudyHit>, bool>> searchJob_;
  AsyncJob<QString, std::pair<int, int>> retrieveJob_;
  AsyncJob<int, std::pair<int, int>> sendJob_;
  QString retrievingSeries_;
};

}  // namespace lunglens::ui::pacs
