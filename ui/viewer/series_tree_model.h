#pragma once
// The series browser's tree: patients, then their studies, then the series of a SeriesListModel. Series stay
// addressed by their row in the list model (rowOfSeries, defaultRow, seriesAt, thumbnails); this model only groups
// them. Patient headers show name and ID, or "Patient 1, 2, ..." when PHI is hidden; study headers show the study
// description and, unless PHI is hidden, the date.
#include <QAbstractItemModel>
#include <vector>

#include "ui/viewer/series_list_model.h"

namespace lunglens::ui::viewer {

class SeriesTreeModel : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum class Kind { Patient, Study, Series };
  enum Roles { KindRole = SeriesListModel::SeriesUidRole + 1 };

  explicit SeriesTreeModel(SeriesListModel* series, QObject* parent = nullptr);

  SeriesListModel* seriesModel() const { return series_; }
  Kind kindOf(const QModelIndex& index) const;
  // The list model's row of a series node, or -1 for a header.
  int seriesRowOf(const QModelIndex& index) const;
  // The series node of a list model row (invalid if there is none).
  QModelIndex indexOfSeriesRow(int row) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;

 private:
  struct Node {
    Kind kind = Kind::Patient;
    int parent = -1;     // node index, -1 for a patient
    int row = 0;         // row under its parent
    int seriesRow = -1;  // the first series of the group for headers, the series itself for leaves
    std::vector<int> children;
  };
  void rebuild();
  QString headerText(const Node& node) const;

  SeriesListModel* series_;
  std::vector<Node> nodes_;
  std::vector<int> patients_;      // top-level node indices
  std::vector<int> nodeOfSeries_;  // list row -> node index
};

}  // namespace lunglens::ui::viewer
