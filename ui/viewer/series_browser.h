#pragma once
// The study/series browser: series with thumbnails grouped under patient and study headers, bound to a
// SeriesTreeModel over a SeriesListModel. Series are named by their SeriesListModel row.
#include <QTreeView>

#include "ui/viewer/series_list_model.h"
#include "ui/viewer/series_tree_model.h"

namespace lunglens::ui::viewer {

class SeriesBrowser : public QTreeView {
  Q_OBJECT
 public:
  explicit SeriesBrowser(SeriesListModel* model, QWidget* parent = nullptr);
  SeriesTreeModel* treeModel() const { return tree_; }
  void selectRow(int row);  // shows the series of list row `row` as current without re-announcing it

 signals:
  void seriesChosen(int row);  // the user picked a series (click or Enter): its SeriesListModel row

 private:
  SeriesTreeModel* tree_;
  bool quiet_ = false;
};

}  // namespace lunglens::ui::viewer
