// SeriesBrowser on the real data under Xvfb: the tree opens expanded, selectRow shows a series quietly, and only
// picking a series (not a patient or study header) announces it, by its SeriesListModel row.
#include "ui/viewer/series_browser.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"

using namespace lunglens;
using ui::viewer::SeriesBrowser;
using ui::viewer::SeriesListModel;

TEST(SeriesBrowser, ShowsPatientsAndStudiesOpenAndAnnouncesOnlySeries) {
  test::guiApp();
  SeriesListModel list;
  SeriesBrowser browser(&list);
  list.setCatalog(core::dicom::scan(test::lungPetCtDx()));
  auto* tree = browser.treeModel();
  ASSERT_EQ(tree->rowCount(), 2);
  for (int p = 0; p < 2; ++p) {
    const QModelIndex patient = tree->index(p, 0);
    EXPECT_TRUE(browser.isExpanded(patient)) << p;
    EXPECT_TRUE(browser.isExpanded(tree->index(0, 0, patient))) << p;
  }
  QSignalSpy chosen(&browser, &SeriesBrowser::seriesChosen);
  browser.selectRow(2);
  EXPECT_EQ(browser.currentIndex(), tree->indexOfSeriesRow(2));
  EXPECT_EQ(chosen.count(), 0);
  browser.selectionModel()->setCurrentIndex(tree->index(1, 0), QItemSelectionModel::ClearAndSelect);  // a patient
  EXPECT_EQ(chosen.count(), 0);
  browser.selectionModel()->setCurrentIndex(tree->indexOfSeriesRow(1), QItemSelectionModel::ClearAndSelect);
  ASSERT_EQ(chosen.count(), 1);
  EXPECT_EQ(chosen.at(0).at(0).toInt(), 1);
}
