#include "ui/viewer/series_list_model.h"

#include <QIcon>
#include <QPixmap>

#include "core/dicom/load.h"
#include "ui/viewer/overlay_text.h"
#include "ui/viewer/thumbnail.h"

namespace lunglens::ui::viewer {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s).trimmed(); }
QString description(const std::string& s) { return QString::fromStdString(formatDescription(s)); }

// Decodes only the middle slice: a one-slice copy of the series goes through the normal loader.
QImage middleSliceThumbnail(const core::dicom::SeriesInfo& series, const core::CancelToken& token) {
  if (series.slices.empty()) return {};
  core::dicom::SeriesInfo one = series;
  one.slices = {series.slices[series.slices.size() / 2]};
  core::dicom::LoadOptions options;
  options.threads = 1;
  options.cancel = token;
  const auto volume = core::dicom::loadSeries(one, options);
  return makeThumbnail(*volume, 0, core::volume::lungWindow(), SeriesListModel::kThumbnailSize);
}

}  // namespace

SeriesListModel::SeriesListModel(QObject* parent) : QAbstractListModel(parent), thumbnails_(this) {}

SeriesListModel::~SeriesListModel() { thumbnails_.cancelAndWait(); }

void SeriesListModel::setCatalog(const core::dicom::Catalog& catalog) {
  thumbnails_.cancelAndWait();
  beginResetModel();
  series_ = catalog.series;
  thumbs_.assign(series_.size(), QImage());
  endResetModel();

  auto work = [series = series_](const core::CancelToken& token, const std::function<void(std::pair<int, QImage>)>& report) {
    int made = 0;
    for (std::size_t i = 0; i < series.size(); ++i) {
      token.throwIfCancelled();
      try {
        QImage thumb = middleSliceThumbnail(series[i], token);
        if (!thumb.isNull()) {
          report({static_cast<int>(i), std::move(thumb)});
          ++made;
        }
      } catch (const core::Cancelled&) {
        throw;
      } catch (const std::exception&) {
        // A series whose middle slice cannot be decoded keeps the placeholder; opening it reports the error.
      }
    }
    return made;
  };
  decltype(thumbnails_)::Handlers handlers;
  handlers.progress = [this](std::pair<int, QImage> result) {
    if (result.first < 0 || result.first >= rowCount()) return;
    thumbs_[static_cast<std::size_t>(result.first)] = std::move(result.second);
    const QModelIndex i = index(result.first);
    emit dataChanged(i, i, {Qt::DecorationRole});
  };
  handlers.done = [this](int) { emit thumbnailsDone(); };
  handlers.failed = [this](const std::string&) { emit thumbnailsDone(); };
  thumbnails_.start(std::move(work), std::move(handlers));
}

int SeriesListModel::rowOfSeries(const std::string& seriesUid) const {
  for (std::size_t i = 0; i < series_.size(); ++i) {
    if (series_[i].series_uid == seriesUid) return static_cast<int>(i);
  }
  return -1;
}

int SeriesListModel::defaultRow() const {
  int best = -1;
  for (std::size_t i = 0; i < series_.size(); ++i) {
    const auto& s = series_[i];
    const bool ct = s.modality == "CT";
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const auto& b = series_[static_cast<std::size_t>(best)];
    const bool bestCt = b.modality == "CT";
    if ((ct && !bestCt) || (ct == bestCt && s.slices.size() > b.slices.size())) best = static_cast<int>(i);
  }
  return best;
}

void SeriesListModel::setPhiHidden(bool hidden) {
  if (hidden == phiHidden_) return;
  phiHidden_ = hidden;
  if (!series_.empty()) emit dataChanged(index(0), index(rowCount() - 1), {Qt::DisplayRole, Qt::ToolTipRole});
}

QString SeriesListModel::seriesText(const core::dicom::SeriesInfo& s) {
  QString series = s.series_number != 0 ? QString("Se %1").arg(s.series_number) : QString("Series");
  if (!description(s.series_description).isEmpty()) series += ": " + description(s.series_description);
  QString facts = QString("%1 · %2 images").arg(q(s.modality)).arg(s.slices.size());
  if (s.slice_thickness_mm > 0.0) facts += QString(" · %1 mm").arg(s.slice_thickness_mm, 0, 'f', 1);
  return series + "\n" + facts;
}

QString SeriesListModel::rowText(const core::dicom::SeriesInfo& s, bool phiHidden) {
  QString study = description(s.study_description).isEmpty() ? QString("Study") : description(s.study_description);
  if (!phiHidden && !s.study_date.empty()) study += " · " + QString::fromStdString(formatDicomDate(s.study_date));
  return seriesText(s) + "\n" + study;
}

QString SeriesListModel::rowToolTip(const core::dicom::SeriesInfo& s, bool phiHidden) {
  QStringList lines;
  if (!phiHidden) {
    lines << "Patient: " + QString::fromStdString(formatPersonName(s.patient_name)) + "  (" + q(s.patient_id) + ")";
  }
  lines << "Study: " + description(s.study_description) << "Series: " + description(s.series_description);
  lines << QString("%1 × %2, %3 slices").arg(s.cols).arg(s.rows).arg(s.slices.size());
  for (const auto& w : s.warnings) lines << "⚠ " + QString::fromStdString(w);
  return lines.join('\n');
}

int SeriesListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(series_.size());
}

QVariant SeriesListModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& s = seriesAt(index.row());
  switch (role) {
    case Qt::DisplayRole: return rowText(s, phiHidden_);
    case Qt::ToolTipRole: return rowToolTip(s, phiHidden_);
    case Qt::DecorationRole: {
      const QImage& thumb = thumbs_[static_cast<std::size_t>(index.row())];
      QPixmap pixmap(kThumbnailSize, kThumbnailSize);
      if (thumb.isNull()) {
        pixmap.fill(QColor(24, 24, 24));
      } else {
        pixmap = QPixmap::fromImage(thumb);
      }
      // The same pixels when selected: a tinted thumbnail would misrepresent the image.
      QIcon icon;
      icon.addPixmap(pixmap, QIcon::Normal);
      icon.addPixmap(pixmap, QIcon::Selected);
      return icon;
    }
    case SeriesUidRole: return QString::fromStdString(s.series_uid);
    default: return {};
  }
}

}  // namespace lunglens::ui::viewer
