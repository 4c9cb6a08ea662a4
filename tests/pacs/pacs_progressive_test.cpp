// A series retrieved from the real Orthanc (over DIMSE and DICOMweb) is shown while it arrives (issue 14): the PACS
// dialog's previews come before the retrieval ends, each holds exactly the voxels of the slices it names, and the
// folder opened at the end is the complete series, voxel-identical to the shared one. A cancel while a preview is
// shown closes it and keeps nothing. The transfer is held (on its own thread) after file 24 until a preview has
// reached the UI thread, so the ordering is tested, not left to the speed of a localhost transfer.
#include <gtest/gtest.h>

#include <QApplication>
#include <QEventLoop>
#include <QSettings>
#include <QTimer>
#include <QTreeWidget>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <thread>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "tests/pacs/pacs_environment.h"
#include "ui/pacs/node_settings.h"
#include "ui/pacs/pacs_dialog.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;
using ui::pacs::PacsDialog;
using ui::pacs::SeriesPreview;

namespace {

constexpr int kHoldAt = 24;  // of 64

template <class Signal>
bool waitFor(PacsDialog* dialog, Signal signal, int ms = 60000) {
  QEventLoop loop;
  bool fired = false;
  QObject::connect(dialog, signal, &loop, [&] {
    fired = true;
    loop.quit();
  });
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
  return fired;
}

// Holds the retrieving thread at file kHoldAt until `released` (at most 30 s, so a missing preview fails the test
// instead of hanging it).
void holdUntil(const std::atomic<bool>& released) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!released && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

struct Fixture {
  fs::path dir = pacsScratch("progressive");
  QSettings settings{QString::fromStdString((dir / "settings.ini").string()), QSettings::IniFormat};
  std::unique_ptr<PacsDialog> dialog;

  // Searches the series' patient over `protocol` and selects the series `s`.
  Fixture(const core::dicom::SeriesInfo& s, core::pacs::Protocol protocol) {
    core::pacs::Node node = orthanc().node();
    node.name = "Test Orthanc";
    ui::pacs::saveNodes(settings, {node});
    dialog = std::make_unique<PacsDialog>(settings);
    dialog->setRetrieveRoot(QString::fromStdString((dir / "retrieved").string()));
    dialog->setPasswordPrompt([](const core::pacs::Node&) -> std::optional<QString> {
      return QString::fromStdString(orthanc().credentials().password);
    });
    dialog->selectNode("Test Orthanc");
    dialog->setProtocol(protocol);
    dialog->setPatientId(QString::fromStdString(s.patient_id));
    dialog->search();
    EXPECT_TRUE(waitFor(dialog.get(), &PacsDialog::searchFinished)) << dialog->statusText().toStdString();
    QTreeWidget& tree = dialog->results();
    for (QTreeWidgetItemIterator it(&tree); *it; ++it) {
      if ((*it)->data(0, Qt::UserRole + 1).toString().toStdString() == s.series_uid) tree.setCurrentItem(*it);
    }
    EXPECT_FALSE(tree.selectedItems().isEmpty()) << "series not found by the dialog's search";
  }
  fs::path folder(const core::dicom::SeriesInfo& s) const { return dir / "retrieved" / s.study_uid / s.series_uid; }
};

// Every slice of the preview equals the shared series' slice with the same SOP instance, voxel for voxel.
void expectSlicesOfShared(const SeriesPreview& p, const core::dicom::SeriesInfo& shared,
                          const core::volume::Volume& sharedVolume) {
  std::map<std::string, int> index;
  for (std::size_t z = 0; z < shared.slices.size(); ++z) index[shared.slices[z].sop_instance_uid] = static_cast<int>(z);
  ASSERT_EQ(p.volume->slices(), static_cast<int>(p.series.slices.size()));
  const std::size_t bytes = p.volume->geometry().voxelsPerSlice() * sizeof(std::int16_t);
  for (int z = 0; z < p.volume->slices(); ++z) {
    const auto it = index.find(p.series.slices[static_cast<std::size_t>(z)].sop_instance_uid);
    ASSERT_NE(it, index.end()) << "preview slice " << z << " is not in the shared series";
    EXPECT_DOUBLE_EQ(p.volume->slicePosition_mm(z), sharedVolume.slicePosition_mm(it->second));
    ASSERT_EQ(std::memcmp(p.volume->slice(z), sharedVolume.slice(it->second), bytes), 0) << "preview slice " << z;
  }
}

class PacsProgressive : public ::testing::TestWithParam<core::pacs::Protocol> {};

}  // namespace

TEST(PacsProgressivePolicy, BatchesAndSteps) {
  // First batch of 8, then steps of a quarter of the expected count (at least 8), never once all have arrived.
  EXPECT_FALSE(ui::pacs::previewDue(7, 0, 64));
  EXPECT_TRUE(ui::pacs::previewDue(8, 0, 64));
  EXPECT_FALSE(ui::pacs::previewDue(23, 8, 64));
  EXPECT_TRUE(ui::pacs::previewDue(24, 8, 64));
  EXPECT_FALSE(ui::pacs::previewDue(64, 8, 64));
  EXPECT_FALSE(ui::pacs::previewDue(6, 0, 6));   // a tiny series simply opens when complete
  EXPECT_TRUE(ui::pacs::previewDue(16, 8, -1));  // count unknown: steps of 8
}

TEST_P(PacsProgressive, SeriesIsShownWhileItArrivesAndIsCompleteAtTheEnd) {
  if (!qobject_cast<QApplication*>(QCoreApplication::instance())) GTEST_SKIP() << "no widgets application";
  orthanc();
  const auto& shared = sharedSeries("Lung_Dx-A0001", 3);
  ASSERT_EQ(shared.slices.size(), 64u);
  const auto sharedVolume = core::dicom::loadSeries(shared);
  Fixture f(shared, GetParam());

  std::atomic<bool> previewSeen{false};
  f.dialog->setArrivalHook([&](int done, int) {
    if (done == kHoldAt) holdUntil(previewSeen);
  });
  std::vector<SeriesPreview> previews;
  std::vector<bool> beforeEnd;
  bool finished = false;
  QString opened;
  QObject::connect(f.dialog.get(), &PacsDialog::previewReady, [&](const SeriesPreview& p) {
    previews.push_back(p);
    beforeEnd.push_back(!finished);
    previewSeen = true;
  });
  QObject::connect(f.dialog.get(), &PacsDialog::openRequested,
                   [&](const QString& folder, const QString&) { opened = folder; });
  f.dialog->retrieveSelected();
  ASSERT_TRUE(waitFor(f.dialog.get(), &PacsDialog::retrieveFinished)) << f.dialog->statusText().toStdString();
  finished = true;

  ASSERT_FALSE(previews.empty()) << "nothing was shown before the retrieval ended";
  for (std::size_t i = 0; i < previews.size(); ++i) {
    SCOPED_TRACE("preview " + std::to_string(i) + " of " + std::to_string(previews[i].arrived) + " files");
    EXPECT_TRUE(beforeEnd[i]);
    EXPECT_GE(previews[i].arrived, 8);
    EXPECT_LT(previews[i].arrived, 64);
    EXPECT_EQ(previews[i].expected, 64);
    EXPECT_EQ(previews[i].series.series_uid, shared.series_uid);
    EXPECT_EQ(static_cast<int>(previews[i].series.slices.size()), previews[i].arrived);
    expectSlicesOfShared(previews[i], shared, *sharedVolume);
    if (i > 0) {
      EXPECT_GT(previews[i].arrived, previews[i - 1].arrived) << "a refresh grows the series";
    }
  }
  std::cout << "  previews of " << previews.front().arrived << " .. " << previews.back().arrived << " of 64 images\n";

  // The end: the complete folder, which loads into exactly the shared series.
  ASSERT_EQ(opened.toStdString(), f.folder(shared).string());
  const auto catalog = core::dicom::scan(f.folder(shared));
  ASSERT_EQ(catalog.series.size(), 1u);
  ASSERT_EQ(catalog.series[0].slices.size(), 64u);
  const auto got = core::dicom::loadSeries(catalog.series[0]);
  ASSERT_EQ(got->bytes(), sharedVolume->bytes());
  for (int z = 0; z < 64; ++z) {
    EXPECT_DOUBLE_EQ(got->slicePosition_mm(z), sharedVolume->slicePosition_mm(z));
    ASSERT_EQ(std::memcmp(got->slice(z), sharedVolume->slice(z), got->geometry().voxelsPerSlice() * 2), 0) << z;
  }
  EXPECT_TRUE(noStagingLeft(f.folder(shared).parent_path(), shared.series_uid));
  EXPECT_FALSE(f.dialog->progressive().building());
}

TEST_P(PacsProgressive, CancelWhileShownClosesThePreviewAndKeepsNothing) {
  if (!qobject_cast<QApplication*>(QCoreApplication::instance())) GTEST_SKIP() << "no widgets application";
  orthanc();
  const auto& shared = sharedSeries("Lung_Dx-A0001", 3);
  Fixture f(shared, GetParam());
  std::atomic<bool> cancelled{false};
  f.dialog->setArrivalHook([&](int done, int) {
    if (done == kHoldAt) holdUntil(cancelled);
  });
  int previews = 0, closed = 0, finished = 0, opened = 0;
  QObject::connect(f.dialog.get(), &PacsDialog::previewReady, [&](const SeriesPreview&) {
    if (++previews == 1) {
      f.dialog->cancel();  // the reader presses Cancel while looking at the first slices
      cancelled = true;
    }
  });
  QObject::connect(f.dialog.get(), &PacsDialog::previewClosed, [&] { ++closed; });
  QObject::connect(f.dialog.get(), &PacsDialog::retrieveFinished, [&] { ++finished; });
  QObject::connect(f.dialog.get(), &PacsDialog::openRequested, [&] { ++opened; });
  f.dialog->retrieveSelected();
  ASSERT_TRUE(waitFor(f.dialog.get(), &PacsDialog::previewClosed)) << f.dialog->statusText().toStdString();
  // The retrieving thread unwinds and removes its staging folder.
  const fs::path parent = f.folder(shared).parent_path();
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!noStagingLeft(parent, shared.series_uid) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  QEventLoop settle;  // late posts from the cancelled runs, if any, would arrive now (and must be dropped)
  QTimer::singleShot(500, &settle, &QEventLoop::quit);
  settle.exec();
  EXPECT_EQ(previews, 1) << "no preview after the cancel";
  EXPECT_EQ(closed, 1);
  EXPECT_EQ(finished, 0);
  EXPECT_EQ(opened, 0);
  EXPECT_FALSE(fs::exists(f.folder(shared)));
  EXPECT_TRUE(noStagingLeft(parent, shared.series_uid));
  EXPECT_FALSE(f.dialog->busy());
}

INSTANTIATE_TEST_SUITE_P(Orthanc, PacsProgressive,
                         ::testing::Values(core::pacs::Protocol::Dimse, core::pacs::Protocol::DicomWeb),
                         [](const auto& info) {
                           return std::string(info.param == core::pacs::Protocol::Dimse ? "DIMSE" : "DICOMweb");
                         });
