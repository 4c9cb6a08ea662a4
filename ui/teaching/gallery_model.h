#pragma once
// The gallery's presenter: slices across all cases of the library matching a filter, highest score first, each
// with a caption and a lung-window thumbnail (optionally with its Grad-CAM map). The query runs on this thread's
// own connection (WAL: an import writing on another thread never blocks it); thumbnails are decoded off the UI
// thread and arrive one by one. No widgets: tested without a display.
#include <QAbstractListModel>
#include <QHash>
#include <QImage>
#include <filesystem>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "core/library/records.h"
#include "ui/common/async_job.h"

namespace lunglens::core::library {
class CaseLibrary;
}

namespace lunglens::ui::teaching {

class GalleryModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role {
    ScoreRole = Qt::UserRole + 1,  // double, or invalid when the slice has no AI result
    StudyLabelRole,                // "Case 0003"
    SeriesUidRole,
    SliceRole,
    MissingRole,                   // the file is gone (relink the study)
    ThumbnailReadyRole,            // the decoration is the real slice, not the placeholder
  };

  explicit GalleryModel(const std::filesystem::path& library_file, QObject* parent = nullptr);
  ~GalleryModel() override;

  void setFilter(const core::library::QueryFilter& filter);  // refreshes
  const core::library::QueryFilter& filter() const { return filter_; }
  void setHeatmap(bool on);  // reloads the thumbnails
  bool heatmap() const { return heatmap_; }
  void setThumbnailSize(int pixels);
  int thumbnailSize() const { return thumbnailSize_; }
  // Runs the query again (after an import, a new label...) and starts loading thumbnails.
  void refresh();

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  const core::library::QueryRow& item(int row) const { return rows_.at(static_cast<std::size_t>(row)); }
  const std::vector<core::library::QueryRow>& items() const { return rows_; }
  std::vector<std::string> tags() const;  // every tag in use, for the filter bar

  // The teacher's work on a row's slice, saved at once; the row shows it without re-running the query (it stays
  // in place even if it no longer matches the filter, until the next refresh). Empty diagnosis and no
  // manifestations clear the label. Errors go to failed().
  void setTeacherLabel(int row, const core::library::TeacherLabel& label);
  void addTag(int row, const std::string& tag);
  void setKeyImage(int row, const std::string& note);
  bool thumbnailsPending() const { return job_.busy(); }

  // The slices around `row`'s (a quiz item's short stack, see CaseLibrary::sliceStack); just `row` on error.
  std::vector<core::library::QueryRow> sliceStack(const core::library::QueryRow& row, int radius);

  // "Case 0003 · slice 5/12", then the AI's most probable class and the score, then the teacher's label.
  static QString caption(const core::library::QueryRow& row);

 signals:
  void refreshed();
  void thumbnailsDone();
  void failed(const QString& message);

 private:
  void loadThumbnails();
  // Applies one library edit to row `row` (ignored if out of range); a library error becomes failed(), never an
  // exception. With `shown`, the row's text and tooltip are refreshed afterwards.
  void editRow(int row, bool shown, const std::function<void(core::library::QueryRow&)>& edit);

  std::unique_ptr<core::library::CaseLibrary> library_;
  core::library::QueryFilter filter_;
  std::vector<core::library::QueryRow> rows_;
  std::vector<QImage> thumbnails_;
  std::vector<bool> ready_;
  // Thumbnails already made, by file, frame, size and heatmap: a refresh during an import (one per study) only
  // decodes the new slices. Bounded: cleared when it grows past kCacheLimit.
  static constexpr int kCacheLimit = 3000;
  QHash<QString, QImage> cache_;
  QString cacheKey(const core::library::QueryRow& row) const;
  bool heatmap_ = false;
  int thumbnailSize_ = 160;
  AsyncJob<int, std::pair<int, QImage>> job_{this};
};

}  // namespace lunglens::ui::teaching
