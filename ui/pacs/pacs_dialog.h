#pragma once
// File ▸ Open from PACS…: the node list, a search (patient name/ID, accession, study date range, modality,
// description), results grouped by patient study with their series, retrieval of a series or study with progress
// and cancel, and sending DICOM exports (Secondary Capture, SR) to the node.
//
// Retrieval writes into the user's data folder (pacs/<study>/<series>) through core/pacs' staging folder, so a
// folder that exists is complete. While it arrives, previewReady() offers the slices so far (ProgressiveSeries:
// decoded off the UI thread, refreshed by batches); when the last image is in, openRequested() names the complete
// folder, which the viewer opens through its normal path (AI and lung analysis start then). A cancel or failure
// sends previewClosed(): the preview's files are gone.
// Network work runs in ui::AsyncJob; DICOMweb passwords come from the keyring or a prompt, never from settings.
#include <QDialog>
#include <QStringList>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/pacs/client.h"
#include "ui/common/async_job.h"
#include "ui/pacs/progressive_series.h"
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
  // Tests: called on the retrieving thread after each file has arrived (e.g. to hold the transfer at file N).
  void setArrivalHook(std::function<void(int done, int total)> hook) { arrivalHook_ = std::move(hook); }
  ProgressiveSeries& progressive() const { return *progressive_; }
  QTreeWidget& results() const { return *results_; }
  QString statusText() const;
  bool busy() const;

 signals:
  // A retrieved series (or study) is complete in `folder`: open it (series_uid empty: the default series).
  void openRequested(const QString& folder, const QString& series_uid);
  // The slices of the series being retrieved that have arrived so far (for looking only), and its end on a cancel
  // or failure.
  void previewReady(const lunglens::ui::pacs::SeriesPreview& preview);
  void previewClosed();
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
  struct Arrival {
    int done = 0, total = -1;
    std::filesystem::path file;
  };
  AsyncJob<QString, Arrival> retrieveJob_;
  ProgressiveSeries* progressive_;
  std::function<void(int, int)> arrivalHook_;
  AsyncJob<int, std::pair<int, int>> sendJob_;
  QString retrievingSeries_;
};

}  // namespace lunglens::ui::pacs
