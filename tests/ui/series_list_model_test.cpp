// SeriesListModel: row text with and without patient data, the default series, and thumbnails made in the
// background from real series.
#include "ui/viewer/series_list_model.h"

#include <QSignalSpy>
#include <gtest/gtest.h>

#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/ui/qt_app.h"

using namespace lunglens;
using ui::viewer::SeriesListModel;

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
