#include "ui/teaching/gallery_model.h"

#include <QPainter>

#include "core/export/ai_results.h"
#include "core/library/case_library.h"
#include "ui/teaching/slice_picture.h"

namespace lunglens::ui::teaching {

namespace lib = core::library;

namespace {

QString display(const std::string& cls) { return QString::fromStdString(core::exporting::displayClassName(cls)); }

QImage placeholder(int size, const QString& text) {
  QImage image(size, size, QImage::Format_RGB32);
  image.fill(QColor(24, 24, 24));
  QPainter painter(&image);
  painter.setPen(QColor(150, 150, 150));
  painter.drawText(image.rect(), Qt::AlignCenter, text);
  return image;
}

}  // namespace

GalleryModel::GalleryModel(const std::filesystem::path& library_file, QObject* parent)
    : QAbstractListModel(parent), library_(std::make_unique<lib::CaseLibrary>(library_file)) {
  filter_.limit = 500;  // a gallery of thousands is not browsable; the teacher narrows it with the filter
}

GalleryModel::~GalleryModel() { job_.cancelAndWait(); }

void GalleryModel::setFilter(const lib::QueryFilter& filter) {
  filter_ = filter;
  refresh();
}

void GalleryModel::setHeatmap(bool on) {
  if (on == heatmap_) return;
  heatmap_ = on;
  loadThumbnails();
}

void GalleryModel::setThumbnailSize(int pixels) {
  if (pixels == thumbnailSize_ || pixels < 16) return;
  thumbnailSize_ = pixels;
  loadThumbnails();
}

void GalleryModel::refresh() {
  job_.cancel();
  beginResetModel();
  try {
    rows_ = library_->query(filter_);
  } catch (const std::exception& e) {
    rows_.clear();
    emit failed(QString::fromStdString(e.what()));
  }
  thumbnails_.assign(rows_.size(), QImage());
  ready_.assign(rows_.size(), false);
  endResetModel();
  emit refreshed();
  loadThumbnails();
}

std::vector<std::string> GalleryModel::tags() const { return library_->allTags(); }

void GalleryModel::editRow(int row, bool shown, const std::function<void(lib::QueryRow&)>& edit) {
  if (row < 0 || row >= rowCount()) return;
  try {
    edit(rows_[static_cast<std::size_t>(row)]);
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
  }
  if (shown) emit dataChanged(index(row), index(row), {Qt::DisplayRole, Qt::ToolTipRole});
}

void GalleryModel::setTeacherLabel(int row, const lib::TeacherLabel& label) {
  editRow(row, true, [&](lib::QueryRow& r) {
    if (label.diagnosis.empty() && label.manifestations.empty() && label.note.empty()) {
      library_->clearTeacherLabel(r.series_uid, r.slice);
      r.teacher.reset();
    } else {
      library_->setTeacherLabel(r.series_uid, r.slice, label);
      r.teacher = library_->teacherLabel(r.series_uid, r.slice);
    }
  });
}

void GalleryModel::addTag(int row, const std::string& tag) {
  editRow(row, true, [&](lib::QueryRow& r) {
    library_->addTag(r.series_uid, r.slice, tag);
    r.tags = library_->tags(r.series_uid, r.slice);
  });
}

void GalleryModel::setKeyImage(int row, const std::string& note) {
  editRow(row, false, [&](lib::QueryRow& r) { library_->setBookmark({r.series_uid, r.slice, note, true}); });
}

QString GalleryModel::cacheKey(const lib::QueryRow& row) const {
  return QString("%1|%2|%3|%4").arg(QString::fromStdString(row.file)).arg(row.frame).arg(thumbnailSize_).arg(heatmap_);
}

void GalleryModel::loadThumbnails() {
  std::vector<std::pair<int, lib::QueryRow>> todo;  // the worker's own copies
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto cached = cache_.constFind(cacheKey(rows_[i]));
    ready_[i] = cached != cache_.constEnd() && !rows_[i].missing;
    if (ready_[i]) {
      thumbnails_[i] = *cached;
      continue;
    }
    thumbnails_[i] = placeholder(thumbnailSize_, rows_[i].missing ? tr("file missing") : tr("loading…"));
    if (!rows_[i].missing) todo.emplace_back(static_cast<int>(i), rows_[i]);
  }
  if (!rows_.empty()) emit dataChanged(index(0), index(rowCount() - 1), {Qt::DecorationRole, ThumbnailReadyRole});
  if (cache_.size() > kCacheLimit) cache_.clear();
  const int size = thumbnailSize_;
  const bool heatmap = heatmap_;
  job_.start(
      [todo, size, heatmap](const core::CancelToken& cancel, const auto& report) {
        for (const auto& [row, item] : todo) {
          cancel.throwIfCancelled();
          try {
            report({row, galleryThumbnail(item, size, heatmap)});
          } catch (const std::exception&) {
            // A file gone since the last check: its placeholder stays.
          }
        }
        return static_cast<int>(todo.size());
      },
      {[this](int) { emit thumbnailsDone(); }, [this](const std::string& m) { emit failed(QString::fromStdString(m)); },
       [this](std::pair<int, QImage> p) {
         if (p.first < 0 || p.first >= rowCount()) return;
         const auto i = static_cast<std::size_t>(p.first);
         cache_.insert(cacheKey(rows_[i]), p.second);
         thumbnails_[i] = std::move(p.second);
         ready_[i] = true;
         emit dataChanged(index(p.first), index(p.first), {Qt::DecorationRole, ThumbnailReadyRole});
       }});
}

int GalleryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QString GalleryModel::caption(const lib::QueryRow& r) {
  QString text = QString("%1 · slice %2/%3").arg(QString::fromStdString(r.study_label)).arg(r.slice + 1).arg(r.slice_count);
  if (!r.ai_diagnosis.empty() && r.out_of_distribution) {
    text += "\n" + tr("AI: withheld (series unlike the training data)");
  } else if (!r.ai_diagnosis.empty()) {
    QString ai = "AI: " + display(r.ai_diagnosis);
    if (!r.ai_manifestation.empty()) ai += " · " + display(r.ai_manifestation);
    text += "\n" + ai;
  }
  if (r.score && !r.out_of_distribution) text += QString("  (%1)").arg(*r.score, 0, 'f', 2);
  if (r.teacher) {
    QString t = "Teacher: " + display(r.teacher->diagnosis);
    for (const auto& m : r.teacher->manifestations) t += " · " + display(m);
    text += "\n" + t;
  }
  if (!r.tags.empty()) {
    QStringList tags;
    for (const auto& t : r.tags) tags << "#" + QString::fromStdString(t);
    text += "\n" + tags.join(' ');
  }
  if (r.missing) text += "\n" + tr("(file missing)");
  return text;
}

QVariant GalleryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto i = static_cast<std::size_t>(index.row());
  const lib::QueryRow& r = rows_[i];
  switch (role) {
    case Qt::DisplayRole: return caption(r);
    case Qt::ToolTipRole: return caption(r);
    case Qt::DecorationRole: return thumbnails_[i];
    case ScoreRole: return r.score ? QVariant(*r.score) : QVariant();
    case StudyLabelRole: return QString::fromStdString(r.study_label);
    case SeriesUidRole: return QString::fromStdString(r.series_uid);
    case SliceRole: return r.slice;
    case MissingRole: return r.missing;
    case ThumbnailReadyRole: return static_cast<bool>(ready_[i]);
    default: return {};
  }
}

std::vector<core::library::QueryRow> GalleryModel::sliceStack(const core::library::QueryRow& row, int radius) {
  try {
    auto stack = library_->sliceStack(row, radius);
    if (!stack.empty()) return stack;
  } catch (const std::exception& e) {
    emit failed(QString::fromStdString(e.what()));
  }
  return {row};
}

}  // namespace lunglens::ui::teaching
