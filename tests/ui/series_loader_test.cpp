// SeriesLoader on a real series: the shown (focus) slice is announced first, cancelling stops the decoding, a full
// load announces every slice one by one and finishes, and a broken file becomes a failure naming it.
#include "ui/viewer/series_loader.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <gtest/gtest.h>
#include <set>

#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"

using namespace lunglens;

namespace {

core::dicom::SeriesInfo realSeries() {
  const auto dir = test::lungPetCtDx() / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
  auto catalog = core::dicom::scan(dir);
  if (catalog.series.size() != 1) throw std::runtime_error("expected one series in " + dir.string());
  return catalog.series.front();
}

}  // namespace

TEST(SeriesLoader, TheFocusSliceComesFirstAndCancelStopsTheRest) {
  test::coreApp();
  const auto series = realSeries();
  ASSERT_EQ(series.slices.size(), 64u);
  auto loader = std::make_unique<ui::viewer::SeriesLoader>();
  loader->setThreads(1);  // one decoder, so "first" is well defined
  int first = -1, readyAfterCancel = -1;
  const auto volume = loader->open(series, 40);
  ASSERT_EQ(volume->slices(), 64);  // handed over at once, to be filled
  QEventLoop loop;
  QObject::connect(loader.get(), &ui::viewer::SeriesLoader::sliceReady, &loop, [&](int z) {
    if (first >= 0) return;
    first = z;
    loader->cancel();  // stop here: the view already has what it needs to draw
    readyAfterCancel = volume->readySliceCount();
    loop.quit();
  });
  loop.exec();
  loader.reset();  // waits for the decoder to stop
  EXPECT_EQ(first, 40);
  EXPECT_TRUE(volume->sliceReady(40));
  // The decoder checks the token before each slice: after cancel it finishes at most the slice in hand.
  EXPECT_LE(volume->readySliceCount(), readyAfterCancel + 1);
}

TEST(SeriesLoader, AFullLoadAnnouncesEverySliceThenFinishes) {
  test::coreApp();
  const auto series = realSeries();
  ui::viewer::SeriesLoader loader;
  std::set<int> announced;
  int lastReady = 0, lastTotal = 0;
  QObject::connect(&loader, &ui::viewer::SeriesLoader::sliceReady, [&](int z) { announced.insert(z); });
  QObject::connect(&loader, &ui::viewer::SeriesLoader::progress, [&](int ready, int total) {
    lastReady = ready;
    lastTotal = total;
  });
  QSignalSpy finished(&loader, &ui::viewer::SeriesLoader::finished);
  const auto volume = loader.open(series, -1);
  EXPECT_TRUE(loader.loading());
  ASSERT_TRUE(finished.wait(120000));
  EXPECT_FALSE(loader.loading());
  EXPECT_EQ(finished.first().first().toInt(), 64);
  EXPECT_EQ(announced.size(), 64u);
  EXPECT_EQ(lastReady, 64);
  EXPECT_EQ(lastTotal, 64);
  EXPECT_TRUE(volume->complete());
}

TEST(SeriesLoader, AnUndecodableSliceIsReportedAsAFailure) {
  test::coreApp();
  auto series = realSeries();
  series.slices[10].path = (test::scratchDir("loader-missing") / "gone.dcm").string();
  ui::viewer::SeriesLoader loader;
  QSignalSpy failed(&loader, &ui::viewer::SeriesLoader::failed);
  loader.open(series, 10);
  ASSERT_TRUE(failed.wait(120000));
  EXPECT_TRUE(failed.first().first().toString().contains("gone.dcm"));
}
