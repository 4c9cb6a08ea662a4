#include "ui/viewer/series_tree_model.h"

#include <QFont>

#include <map>
#include <string>

#include "ui/viewer/overlay_text.h"

namespace lunglens::ui::viewer {

SeriesTreeModel::SeriesTreeModel(SeriesListModel* series, QObject* parent)
    : QAbstractItemModel(parent), series_(series) {
  rebuild();
  connect(series_, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
  connect(series_, &QAbstractItemModel::modelReset, this, [this] {
    rebuild();
    endResetModel();
  });
  connect(series_, &QAbstractItemModel::dataChanged, this,
          [this](const QModelIndex& from, const QModelIndex& to, const QList<int>& roles) {
            for (int r = from.row(); r <= to.row(); ++r) {
              const QModelIndex i = indexOfSeriesRow(r);
              if (i.isValid()) emit dataChanged(i, i, roles);
            }
            // PHI shown or hidden: the headers' text changes with the rows'.
            if (roles.isEmpty() || roles.contains(Qt::DisplayRole)) {
              for (std::size_t n = 0; n < nodes_.size(); ++n) {
                if (nodes_[n].kind == Kind::Series) continue;
                const QModelIndex h = createIndex(nodes_[n].row, 0, static_cast<quintptr>(n));
                emit dataChanged(h, h, {Qt::DisplayRole, Qt::ToolTipRole});
              }
            }
          });
}

void SeriesTreeModel::rebuild() {
  nodes_.clear();
  patients_.clear();
  const auto& all = series_->series();
  nodeOfSeries_.assign(all.size(), -1);
  // Groups in the order the catalog lists them (by patient ID, study date, study UID).
  std::map<std::string, int> patientNode, studyNode;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& s = all[i];
    const std::string patientKey = s.patient_id + '\x1f' + s.patient_name;
    auto p = patientNode.find(patientKey);
    if (p == patientNode.end()) {
      nodes_.push_back({Kind::Patient, -1, static_cast<int>(patients_.size()), static_cast<int>(i), {}});
      p = patientNode.emplace(patientKey, static_cast<int>(nodes_.size() - 1)).first;
      patients_.push_back(p->second);
    }
    const std::string studyKey = patientKey + '\x1f' + s.study_uid;
    auto st = studyNode.find(studyKey);
    if (st == studyNode.end()) {
      const int row = static_cast<int>(nodes_[static_cast<std::size_t>(p->second)].children.size());
      nodes_.push_back({Kind::Study, p->second, row, static_cast<int>(i), {}});
      st = studyNode.emplace(studyKey, static_cast<int>(nodes_.size() - 1)).first;
      nodes_[static_cast<std::size_t>(p->second)].children.push_back(st->second);
    }
    auto& study = nodes_[static_cast<std::size_t>(st->second)];
    const int row = static_cast<int>(study.children.size());
    nodes_.push_back({Kind::Series, st->second, row, static_cast<int>(i), {}});
    nodes_[static_cast<std::size_t>(st->second)].children.push_back(static_cast<int>(nodes_.size() - 1));
    nodeOfSeries_[i] = static_cast<int>(nodes_.size() - 1);
  }
}

SeriesTreeModel::Kind SeriesTreeModel::kindOf(const QModelIndex& index) const {
  return index.isValid() ? nodes_.at(index.internalId()).kind : Kind::Patient;
}

int SeriesTreeModel::seriesRowOf(const QModelIndex& index) const {
  if (!index.isValid() || index.model() != this) return -1;
  const Node& n = nodes_.at(index.internalId());
  return n.kind == Kind::Series ? n.seriesRow : -1;
}

QModelIndex SeriesTreeModel::indexOfSeriesRow(int row) const {
  if (row < 0 || row >= static_cast<int>(nodeOfSeries_.size())) return {};
  const int n = nodeOfSeries_[static_cast<std::size_t>(row)];
  return createIndex(nodes_[static_cast<std::size_t>(n)].row, 0, static_cast<quintptr>(n));
}

QModelIndex SeriesTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (column != 0 || row < 0) return {};
  const std::vector<int>& children =
      parent.isValid() ? nodes_.at(parent.internalId()).children : patients_;
  if (row >= static_cast<int>(children.size())) return {};
  return createIndex(row, 0, static_cast<quintptr>(children[static_cast<std::size_t>(row)]));
}

QModelIndex SeriesTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const int p = nodes_.at(child.internalId()).parent;
  if (p < 0) return {};
  return createIndex(nodes_[static_cast<std::size_t>(p)].row, 0, static_cast<quintptr>(p));
}

int SeriesTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.column() > 0) return 0;
  return static_cast<int>(parent.isValid() ? nodes_.at(parent.internalId()).children.size() : patients_.size());
}

int SeriesTreeModel::columnCount(const QModelIndex&) const { return 1; }

QString SeriesTreeModel::headerText(const Node& node) const {
  const auto& s = series_->seriesAt(node.seriesRow);
  const bool phiHidden = series_->phiHidden();
  if (node.kind == Kind::Patient) {
    if (phiHidden) return QString("Patient %1").arg(node.row + 1);
    const QString name = QString::fromStdString(formatPersonName(s.patient_name)).trimmed();
    const QString id = QString::fromStdString(s.patient_id).trimmed();
    if (name.isEmpty()) return id.isEmpty() ? QString("Unnamed patient") : id;
    return name + (id.isEmpty() || id == name ? QString() : "  (" + id + ")");
  }
  QString text = QString::fromStdString(formatDescription(s.study_description));
  if (text.isEmpty()) text = "Study";
  if (!phiHidden && !s.study_date.empty()) text += " · " + QString::fromStdString(formatDicomDate(s.study_date));
  const auto count = node.children.size();
  return text + QString(" · %1 series").arg(count);
}

QVariant SeriesTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node& n = nodes_.at(index.internalId());
  if (role == KindRole) return static_cast<int>(n.kind);
  if (n.kind == Kind::Series) {
    // Under its study's header a row need not repeat the study.
    if (role == Qt::DisplayRole) return SeriesListModel::seriesText(series_->seriesAt(n.seriesRow));
    return series_->data(series_->index(n.seriesRow), role);
  }
  switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: return headerText(n);
    case Qt::FontRole: {
      QFont font;
      font.setBold(true);
      return font;
    }
    default: return {};
  }
}

Qt::ItemFlags SeriesTreeModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  // Headers group; only series can be chosen.
  return kindOf(index) == Kind::Series ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::ItemIsEnabled;
}

}  // namespace lunglens::ui::viewer
