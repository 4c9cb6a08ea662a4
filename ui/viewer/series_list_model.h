#pragma once
// The study/series browser's model: one row per series of a scan, with a thumbnail made in the background
// (middle slice, lung window). Rows show study and series text; patient-identifying text goes when PHI is hidden.
// The browser shows these rows grouped by patient and study through a SeriesTreeModel (series_tree_model.h).
#include <QAbstractListModel>
#include <QImage>
#include <utility>
#include <vector>

#include "core/dicom/series.h"
#include "ui/common/async_job.h"

namespace lunglens::ui::viewer {

class SeriesListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  static constexpr int kThumbnailSize = 96;
  enum Roles { SeriesUidRole = Qt::UserRole + 1 };

  explicit SeriesListModel(QObject* parent = nullptr);
  ~SeriesListModel() override;

  // Replaces the rows and starts making thumbnails (cancelling any still being made).
  void setCatalog(const core::dicom::Catalog& catalog);
  const std::vector<core::dicom::SeriesInfo>& series() const { return series_; }
  const core::dicom::SeriesInfo& seriesAt(int row) const { return series_.at(static_cast<std::size_t>(row)); }
  int rowOfSeries(const std::string& seriesUid) const;  // -1 if absent
  // The series to open when the user names none: the CT series with the most slices.
  int defaultRow() const;
  bool thumbnailsPending() const { return thumbnails_.busy(); }
  QImage thumbnail(int row) const { return thumbs_.at(static_cast<std::size_t>(row)); }
  void setPhiHidden(bool hidden);
  bool phiHidden() const { return phiHidden_; }

  // Three lines per row: series, its facts (modality, images, thickness), then study.
  static QString rowText(const core::dicom::SeriesInfo& series, bool phiHidden);
  // The first two of those lines: what a series row under its study's header shows (SeriesTreeModel).
  static QString seriesText(const core::dicom::SeriesInfo& series);
  static QString rowToolTip(const core::dicom::SeriesInfo& series, bool phiHidden);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

 signals:
  void thumbnailsDone();

 private:
  std::vector<core::dicom::SeriesInfo> series_;
  std::vector<QImage> thumbs_;
  bool phiHidden_ = false;
  AsyncJob<int, std::pair<int, QImage>> thumbnails_;
};

}  // namespace lunglens::ui::viewer
