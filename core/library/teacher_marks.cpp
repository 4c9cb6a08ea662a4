// CaseLibrary: what a teacher adds to slices: labels, tags and bookmarks (not the viewer's drawn annotations,
// which core/annotation/annotation_store.h keeps per study).
#include <QDateTime>
#include <QSqlQuery>

#include "core/common/error.h"
#include "core/library/case_library.h"

namespace lunglens::core::library {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QVariant v(std::int64_t id) { return QVariant::fromValue<qlonglong>(id); }
QString nowUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }

std::string trimmed(const std::string& s) { return QString::fromStdString(s).trimmed().toStdString(); }

}  // namespace

void CaseLibrary::setTeacherLabel(const std::string& series_uid, int slice, const TeacherLabel& label) {
  const std::int64_t id = sliceId(series_uid, slice);
  Connection& c = *connection_;
  Transaction transaction(c);
  c.exec("INSERT INTO teacher_labels (slice_id, diagnosis, note, updated_at) VALUES (?, ?, ?, ?) "
         "ON CONFLICT (slice_id) DO UPDATE SET diagnosis = excluded.diagnosis, note = excluded.note, "
         "updated_at = excluded.updated_at",
         {v(id), q(trimmed(label.diagnosis)), q(label.note), nowUtc()});
  c.exec("DELETE FROM teacher_manifestations WHERE slice_id = ?", {v(id)});
  for (const std::string& m : label.manifestations) {
    if (trimmed(m).empty()) continue;
    c.exec("INSERT OR IGNORE INTO teacher_manifestations (slice_id, manifestation) VALUES (?, ?)",
           {v(id), q(trimmed(m))});
  }
  transaction.commit();
}

void CaseLibrary::clearTeacherLabel(const std::string& series_uid, int slice) {
  connection_->exec("DELETE FROM teacher_labels WHERE slice_id = ?", {v(sliceId(series_uid, slice))});
}

std::optional<TeacherLabel> CaseLibrary::teacherLabel(const std::string& series_uid, int slice) {
  const std::int64_t id = sliceId(series_uid, slice);
  QSqlQuery r = connection_->exec("SELECT diagnosis, note FROM teacher_labels WHERE slice_id = ?", {v(id)});
  if (!r.next()) return std::nullopt;
  TeacherLabel label;
  label.diagnosis = r.value(0).toString().toStdString();
  label.note = r.value(1).toString().toStdString();
  QSqlQuery m = connection_->exec(
      "SELECT manifestation FROM teacher_manifestations WHERE slice_id = ? ORDER BY manifestation", {v(id)});
  while (m.next()) label.manifestations.push_back(m.value(0).toString().toStdString());
  return label;
}

void CaseLibrary::addTag(const std::string& series_uid, int slice, const std::string& tag) {
  const std::string name = trimmed(tag);
  if (name.empty()) throw InputError(series_uid, "a tag needs a name");
  const std::int64_t id = sliceId(series_uid, slice);
  Connection& c = *connection_;
  Transaction transaction(c);
  c.exec("INSERT OR IGNORE INTO tags (name) VALUES (?)", {q(name)});
  c.exec("INSERT OR IGNORE INTO slice_tags (slice_id, tag_id) SELECT ?, id FROM tags WHERE name = ?",
         {v(id), q(name)});
  transaction.commit();
}

void CaseLibrary::removeTag(const std::string& series_uid, int slice, const std::string& tag) {
  connection_->exec("DELETE FROM slice_tags WHERE slice_id = ? AND tag_id IN (SELECT id FROM tags WHERE name = ?)",
                    {v(sliceId(series_uid, slice)), q(trimmed(tag))});
}

std::vector<std::string> CaseLibrary::tags(const std::string& series_uid, int slice) {
  std::vector<std::string> out;
  QSqlQuery r = connection_->exec(
      "SELECT t.name FROM slice_tags x JOIN tags t ON t.id = x.tag_id WHERE x.slice_id = ? ORDER BY t.name",
      {v(sliceId(series_uid, slice))});
  while (r.next()) out.push_back(r.value(0).toString().toStdString());
  return out;
}

std::vector<std::string> CaseLibrary::allTags() {
  std::vector<std::string> out;
  QSqlQuery r = connection_->exec(
      "SELECT name FROM tags WHERE id IN (SELECT tag_id FROM slice_tags) ORDER BY name");
  while (r.next()) out.push_back(r.value(0).toString().toStdString());
  return out;
}

void CaseLibrary::setBookmark(const Bookmark& bookmark) {
  connection_->exec(
      "INSERT INTO bookmarks (slice_id, note, key_image, created_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (slice_id) DO UPDATE SET note = excluded.note, key_image = excluded.key_image",
      {v(sliceId(bookmark.series_uid, bookmark.slice)), q(bookmark.note), bookmark.key_image ? 1 : 0, nowUtc()});
}

void CaseLibrary::removeBookmark(const std::string& series_uid, int slice) {
  connection_->exec("DELETE FROM bookmarks WHERE slice_id = ?", {v(sliceId(series_uid, slice))});
}

std::vector<Bookmark> CaseLibrary::bookmarks(const std::string& study_uid_or_label) {
  const auto s = study(study_uid_or_label);
  if (!s) throw InputError(study_uid_or_label, "no such study in the case library");
  std::vector<Bookmark> out;
  QSqlQuery r = connection_->exec(
      "SELECT se.series_uid, sl.slice_index, b.note, b.key_image FROM bookmarks b JOIN slices sl ON sl.id = "
      "b.slice_id JOIN series se ON se.id = sl.series_id WHERE se.study_id = ? ORDER BY se.series_uid, "
      "sl.slice_index",
      {v(s->id)});
  while (r.next())
    out.push_back({r.value(0).toString().toStdString(), r.value(1).toInt(), r.value(2).toString().toStdString(),
                   r.value(3).toInt() != 0});
  return out;
}

}  // namespace lunglens::core::library
