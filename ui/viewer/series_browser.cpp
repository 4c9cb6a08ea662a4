#include "ui/viewer/series_browser.h"

#include <QItemSelectionModel>

namespace lunglens::ui::viewer {

SeriesBrowser::SeriesBrowser(SeriesListModel* model, QWidget* parent) : QListView(parent) {
  setModel(model);
  setViewMode(QListView::ListMode);
  setIconSize(QSize(SeriesListModel::kThumbnailSize, SeriesListModel::kThumbnailSize));
  setSpacing(4);
  setUniformItemSizes(true);
  setWordWrap(true);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setMinimumWidth(300);
  connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
    if (!quiet_ && current.isValid()) emit seriesChosen(current.row());
  });
}

void SeriesBrowser::selectRow(int row) {
  quiet_ = true;
  const QModelIndex i = model()->index(row, 0);
  selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect);
  scrollTo(i);
  quiet_ = false;
}

}  // namespace lunglens::ui::viewer
