#include "ui/viewer/series_browser.h"

#include <QItemSelectionModel>

namespace lunglens::ui::viewer {

SeriesBrowser::SeriesBrowser(SeriesListModel* model, QWidget* parent)
    : QTreeView(parent), tree_(new SeriesTreeModel(model, this)) {
  setModel(tree_);
  setHeaderHidden(true);
  setIconSize(QSize(SeriesListModel::kThumbnailSize, SeriesListModel::kThumbnailSize));
  setIndentation(12);
  setWordWrap(true);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setMinimumWidth(300);
  // A new catalog shows every patient and study open.
  connect(tree_, &QAbstractItemModel::modelReset, this, &QTreeView::expandAll);
  expandAll();
  connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
    const int row = tree_->seriesRowOf(current);
    if (!quiet_ && row >= 0) emit seriesChosen(row);
  });
}

void SeriesBrowser::selectRow(int row) {
  quiet_ = true;
  const QModelIndex i = tree_->indexOfSeriesRow(row);
  selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect);
  if (i.isValid()) scrollTo(i);
  quiet_ = false;
}

}  // namespace lunglens::ui::viewer
