// SeriesListModel: row text with and without patient data, the default series, and thumbnails made in the
// background from real series.
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/series_tree_model.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

#include <set>

#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"

using namespace lunglens;
using ui::viewer::SeriesListModel;
using ui::viewer::SeriesTreeModel;

namespace {

core::dicom::SeriesInfo series(int number, const std::string& modality, int slices) {
  core::dicom::SeriesInfo s;
  s.series_uid = "1.2." + std::to_string(number);
  s.series_number = number;
  s.modality = modality;
  s.series_description = "ThoraxRoutine  8.0.0  B70f";
  s.study_description = "Thorax^Routine";
  s.study_date = "20070425";
  s.patient_name = "Doe^Jane";
  s.patient_id = "PID-9";
  s.slice_thickness_mm = 8.0;
  s.slices.resize(static_cast<std::size_t>(slices));
  return s;
}

}  // namespace

TEST(SeriesListModel, RowTextShowsSeriesAndStudyAndHidesPatientData) {
  const auto s = series(2, "CT", 30);
  EXPECT_EQ(SeriesListModel::rowText(s, false).toStdString(),
            "Se 2: ThoraxRoutine 8.0.0 B70f\nCT · 30 images · 8.0 mm\nThorax Routine · 2007-04-25");
  EXPECT_EQ(SeriesListModel::rowText(s, true).toStdString(),
            "Se 2: ThoraxRoutine 8.0.0 B70f\nCT · 30 images · 8.0 mm\nThorax Routine");
  EXPECT_TRUE(SeriesListModel::rowToolTip(s, false).contains("Doe, Jane"));
  EXPECT_FALSE(SeriesListModel::rowToolTip(s, true).contains("Doe"));
  EXPECT_FALSE(SeriesListModel::rowToolTip(s, true).contains("PID-9"));
}

TEST(SeriesListModel, DefaultsToTheCtSeriesWithTheMostSlices) {
  test::coreApp();
  SeriesListModel model;
  core::dicom::Catalog catalog;
  catalog.series = {series(1, "CT", 2), series(2, "PT", 300), series(3, "CT", 120), series(4, "CT", 64)};
  model.setCatalog(catalog);
  QSignalSpy done(&model, &SeriesListModel::thumbnailsDone);
  ASSERT_TRUE(done.wait(60000));
  EXPECT_EQ(model.rowCount(), 4);
  EXPECT_EQ(model.defaultRow(), 2);  // the PET series has more slices but is not CT
  EXPECT_EQ(model.rowOfSeries("1.2.4"), 3);
  EXPECT_EQ(model.rowOfSeries("9.9"), -1);
  // These slices name no files: the thumbnails stay placeholders, and nothing crashes.
  for (int row = 0; row < 4; ++row) EXPECT_TRUE(model.thumbnail(row).isNull());
}

TEST(SeriesListModel, MakesAThumbnailPerRealSeries) {
  test::coreApp();
  const auto dir = test::lungPetCtDx() / "Lung_Dx-A0002";
  SeriesListModel model;
  model.setCatalog(core::dicom::scan(dir));
  ASSERT_EQ(model.rowCount(), 2);
  QSignalSpy done(&model, &SeriesListModel::thumbnailsDone);
  ASSERT_TRUE(done.wait(120000));
  for (int row = 0; row < 2; ++row) {
    const QImage thumb = model.thumbnail(row);
    ASSERT_FALSE(thumb.isNull()) << row;
    EXPECT_EQ(thumb.size(), QSize(SeriesListModel::kThumbnailSize, SeriesListModel::kThumbnailSize));
    // A chest in the lung window: bright body and dark lungs, so a wide spread of grey.
    int lo = 255, hi = 0;
    for (int y = 0; y < thumb.height(); ++y) {
      for (int x = 0; x < thumb.width(); ++x) {
        lo = std::min(lo, qGray(thumb.pixel(x, y)));
        hi = std::max(hi, qGray(thumb.pixel(x, y)));
      }
    }
    EXPECT_GT(hi - lo, 150) << row;
  }
}

// The browser's tree over the real data: two patients, each with one study of two series; every series node maps
// back to its list row, and patient-identifying header text goes when PHI is hidden.
TEST(SeriesTreeModel, GroupsTheRealSeriesByPatientThenStudy) {
  test::coreApp();
  SeriesListModel list;
  SeriesTreeModel tree(&list);
  list.setCatalog(core::dicom::scan(test::lungPetCtDx()));
  ASSERT_EQ(list.rowCount(), 4);
  ASSERT_EQ(tree.rowCount(), 2);
  const char* patients[] = {"Lung_Dx-A0001", "Lung_Dx-A0002"};
  std::set<int> rowsSeen;
  for (int p = 0; p < 2; ++p) {
    const QModelIndex patient = tree.index(p, 0);
    EXPECT_EQ(tree.kindOf(patient), SeriesTreeModel::Kind::Patient);
    EXPECT_EQ(tree.data(patient, Qt::DisplayRole).toString().toStdString(), patients[p]);
    EXPECT_FALSE(tree.flags(patient) & Qt::ItemIsSelectable);
    ASSERT_EQ(tree.rowCount(patient), 1) << patients[p];
    const QModelIndex study = tree.index(0, 0, patient);
    EXPECT_EQ(tree.kindOf(study), SeriesTreeModel::Kind::Study);
    EXPECT_EQ(tree.parent(study), patient);
    ASSERT_EQ(tree.rowCount(study), 2) << patients[p];
    std::set<std::string> studyUids;
    for (int r = 0; r < 2; ++r) {
      const QModelIndex leaf = tree.index(r, 0, study);
      EXPECT_EQ(tree.parent(leaf), study);
      EXPECT_TRUE(tree.flags(leaf) & Qt::ItemIsSelectable);
      const int row = tree.seriesRowOf(leaf);
      ASSERT_GE(row, 0);
      rowsSeen.insert(row);
      const auto& s = list.seriesAt(row);
      EXPECT_EQ(s.patient_id, patients[p]);
      studyUids.insert(s.study_uid);
      EXPECT_EQ(tree.data(leaf, SeriesListModel::SeriesUidRole).toString().toStdString(), s.series_uid);
      // The list row's text less its study line (the header above says it).
      const QString leafText = tree.data(leaf, Qt::DisplayRole).toString();
      EXPECT_TRUE(list.data(list.index(row), Qt::DisplayRole).toString().startsWith(leafText + "\n"));
      EXPECT_EQ(leafText.count('\n'), 1) << leafText.toStdString();
      EXPECT_EQ(tree.data(leaf, Qt::ToolTipRole), list.data(list.index(row), Qt::ToolTipRole));
      EXPECT_EQ(tree.indexOfSeriesRow(row), leaf);
      EXPECT_EQ(list.rowOfSeries(s.series_uid), row);
    }
    EXPECT_EQ(studyUids.size(), 1u);
  }
  EXPECT_EQ(rowsSeen, (std::set<int>{0, 1, 2, 3}));
  const QModelIndex firstStudy = tree.index(0, 0, tree.index(0, 0));
  EXPECT_EQ(tree.data(firstStudy, Qt::DisplayRole).toString().toStdString(), "Chest · 2007-04-04 · 2 series");
  EXPECT_EQ(tree.data(tree.index(0, 0, firstStudy), Qt::DisplayRole).toString().toStdString(),
            "Se 2: 5mm\nCT · 64 images · 5.0 mm");

  // PHI hidden: anonymous patient headers and no study date; the tree says its headers changed.
  QSignalSpy changed(&tree, &QAbstractItemModel::dataChanged);
  list.setPhiHidden(true);
  EXPECT_EQ(changed.count(), 8);  // 4 series, 2 patient and 2 study headers
  for (int p = 0; p < 2; ++p) {
    const QModelIndex patient = tree.index(p, 0);
    const QString header = tree.data(patient, Qt::DisplayRole).toString();
    EXPECT_EQ(header.toStdString(), "Patient " + std::to_string(p + 1));
    const QString studyText = tree.data(tree.index(0, 0, patient), Qt::DisplayRole).toString();
    EXPECT_FALSE(studyText.contains("2007")) << studyText.toStdString();
    EXPECT_FALSE(studyText.contains("Lung_Dx")) << studyText.toStdString();
  }
  EXPECT_EQ(tree.data(firstStudy, Qt::DisplayRole).toString().toStdString(), "Chest · 2 series");
  list.setCatalog({});  // a new catalog resets the tree
  EXPECT_EQ(tree.rowCount(), 0);
}
