// The PACS dialog against the real Orthanc: search over DICOMweb (password asked, as when no keyring answers),
// results grouped by patient and study, retrieve a series with progress, and the screenshot docs/PACS.md shows.
#include <gtest/gtest.h>

#include <QApplication>
#include <QEventLoop>
#include <QSettings>
#include <QTimer>
#include <QTreeWidget>

#include "tests/common/test_paths.h"
#include "tests/pacs/pacs_environment.h"
#include "ui/pacs/node_settings.h"
#include "ui/pacs/pacs_dialog.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;

namespace {

// Runs the event loop until `signal` fires (or 60 s pass); returns whether it fired.
template <class Sender, class Signal>
bool waitFor(Sender* sender, Signal signal) {
  QEventLoop loop;
  bool fired = false;
  QObject::connect(sender, signal, &loop, [&] {
    fired = true;
    loop.quit();
  });
  QTimer::singleShot(60000, &loop, &QEventLoop::quit);
  loop.exec();
  return fired;
}

}  // namespace

TEST(PacsDialog, SearchesGroupsRetrievesAndOpens) {
  if (!qobject_cast<QApplication*>(QCoreApplication::instance())) GTEST_SKIP() << "no widgets application";
  orthanc();
  const fs::path dir = pacsScratch("dialog");
  QSettings settings(QString::fromStdString((dir / "settings.ini").string()), QSettings::IniFormat);
  core::pacs::Node node = orthanc().node();
  node.name = "Test Orthanc";
  ui::pacs::saveNodes(settings, {node});

  ui::pacs::PacsDialog dialog(settings);
  dialog.setRetrieveRoot(QString::fromStdString((dir / "retrieved").string()));
  int asked = 0;
  dialog.setPasswordPrompt([&](const core::pacs::Node& n) -> std::optional<QString> {
    ++asked;
    EXPECT_EQ(n.username, "lunglens");
    return QString::fromStdString(orthanc().credentials().password);
  });
  dialog.resize(1100, 640);
  dialog.show();
  dialog.selectNode("Test Orthanc");
  dialog.setProtocol(core::pacs::Protocol::DicomWeb);
  dialog.search();
  ASSERT_TRUE(waitFor(&dialog, &ui::pacs::PacsDialog::searchFinished)) << dialog.statusText().toStdString();
  EXPECT_EQ(asked, 1);

  // Two patients at the top, each with its study, each study with its two CT series.
  QTreeWidget& tree = dialog.results();
  ASSERT_EQ(tree.topLevelItemCount(), 2) << dialog.statusText().toStdString();
  for (int p = 0; p < 2; ++p) {
    ASSERT_GE(tree.topLevelItem(p)->childCount(), 1);
    EXPECT_GE(tree.topLevelItem(p)->child(0)->childCount(), 2);
  }
  const fs::path shot = binaryDir() / "test-scratch" / "pacs-dialog.png";
  dialog.grab().save(QString::fromStdString(shot.string()));

  // Retrieve A0002's first series: a new folder with all 30 images, and a request to open it.
  QTreeWidgetItem* a0002 = tree.topLevelItem(0)->text(1) == "Lung_Dx-A0002" ? tree.topLevelItem(0) : tree.topLevelItem(1);
  QTreeWidgetItem* series = a0002->child(0)->child(0);
  tree.setCurrentItem(series);
  QString opened;
  QObject::connect(&dialog, &ui::pacs::PacsDialog::openRequested, [&](const QString& folder, const QString&) {
    opened = folder;
  });
  dialog.retrieveSelected();
  ASSERT_TRUE(waitFor(&dialog, &ui::pacs::PacsDialog::retrieveFinished));
  ASSERT_FALSE(opened.isEmpty()) << dialog.statusText().toStdString();
  EXPECT_EQ(std::distance(fs::directory_iterator(opened.toStdString()), fs::directory_iterator()), 30);
  EXPECT_EQ(asked, 1) << "the password is asked once per dialog when there is no keyring";
}
