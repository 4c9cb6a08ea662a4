// CaseLibrary: which series' files are still on disk, and relinking a study whose files moved. The library keeps
// no pixels, so a missing file is shown (series.missing), never silently dropped.
#include <QSqlQuery>

#include <map>

#include "core/common/error.h"
#include "core/dicom/scan.h"
#include "core/library/case_library.h"

namespace lunglens::core::library {
namespace {

QVariant v(std::int64_t id) { return QVariant::fromValue<qlonglong>(id); }

}  // namespace

int CaseLibrary::checkAvailability() {
  Connection& c = *connection_;
  std::map<qlonglong, bool> missing;
  QSqlQuery r = c.exec("SELECT series_id, file FROM slices ORDER BY series_id");
  while (r.next()) {
    bool& m = missing[r.value(0).toLongLong()];
    if (m) continue;
    std::error_code ec;
    m = !std::filesystem::is_regular_file(pathFromSql(r.value(1)), ec);
  }
  c.requireComplete(r);  // a read that stopped on a damaged page must not mark the rest of the series as present
  Transaction transaction(c);
  int count = 0;
  for (const auto& [id, gone] : missing) {
    c.exec("UPDATE series SET missing = ? WHERE id = ?", {gone ? 1 : 0, id});
    count += gone ? 1 : 0;
  }
  transaction.commit();
  return count;
}

int CaseLibrary::relink(const std::string& study_uid_or_label, const std::filesystem::path& new_root) {
  const auto s = study(study_uid_or_label);
  if (!s) throw InputError(study_uid_or_label, "no such study in the case library");
  const dicom::Catalog catalog = dicom::scan(std::filesystem::absolute(new_root));
  Connection& c = *connection_;
  Transaction transaction(c);
  int relinked = 0;
  QSqlQuery series = c.exec("SELECT id, series_uid FROM series WHERE study_id = ?", {v(s->id)});
  std::vector<std::pair<qlonglong, std::string>> rows;
  while (series.next()) rows.emplace_back(series.value(0).toLongLong(), series.value(1).toString().toStdString());
  c.requireComplete(series);
  for (const auto& [series_id, uid] : rows) {
    const dicom::SeriesInfo* found = nullptr;
    for (const auto& info : catalog.series)
      if (info.series_uid == uid) found = &info;
    if (!found) continue;
    std::map<std::string, const dicom::SliceRef*> by_sop;
    for (const auto& ref : found->slices) by_sop[ref.sop_instance_uid] = &ref;
    QSqlQuery slices = c.exec("SELECT id, slice_index, sop_instance_uid FROM slices WHERE series_id = ?", {series_id});
    std::vector<std::tuple<qlonglong, int, std::string>> list;
    while (slices.next())
      list.emplace_back(slices.value(0).toLongLong(), slices.value(1).toInt(), slices.value(2).toString().toStdString());
    for (const auto& [slice_id, index, sop] : list) {
      const dicom::SliceRef* ref = nullptr;
      if (auto it = by_sop.find(sop); !sop.empty() && it != by_sop.end()) ref = it->second;
      else if (index < static_cast<int>(found->slices.size())) ref = &found->slices[static_cast<std::size_t>(index)];
      if (!ref) continue;
      c.exec("UPDATE slices SET file = ?, frame = ? WHERE id = ?", {pathToSql(ref->path), ref->frame, slice_id});
    }
    const std::string folder = std::filesystem::path(found->slices.front().path).parent_path().string();
    c.exec("UPDATE series SET folder = ?, missing = 0 WHERE id = ?", {pathToSql(folder), series_id});
    ++relinked;
  }
  if (relinked == 0)
    throw InputError(new_root.string(), "none of the series of " + s->label + " is in this folder");
  c.exec("UPDATE studies SET root = ? WHERE id = ?", {pathToSql(new_root.string()), v(s->id)});
  transaction.commit();
  return relinked;
}

}  // namespace lunglens::core::library
