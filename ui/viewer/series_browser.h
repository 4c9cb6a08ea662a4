#pragma once
// The study/series browser: a list of series with thumbnails, bound to a SeriesListModel.
#include <QListView>

#include "ui/viewer/series_list_model.h"

namespace lunglens::ui::viewer {

class SeriesBrowser : public QListView {
  Q_OBJECT
 public:
  explicit SeriesBrowser(SeriesListModel* model, QWidget* parent = nullptr);
  void selectRow(int row);  // shows the row as current without re-announcing it

 signals:
  void seriesChosen(int row);  // the user picked a series (click or Enter)

 private:
  bool quiet_ = false;
};

}  // namespace lunglens::ui::viewer
