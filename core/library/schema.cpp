#include "core/library/schema.h"

#include <QSqlQuery>

#include <algorithm>
#include <string>
#include <vector>

#include "core/common/error.h"

namespace lunglens::core::library {
namespace {

// Never edit a migration once released: add another.
const std::vector<const char*>& migrations() {
  static const std::vector<const char*> list = {
      // 1: the first version.
      R"(
CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL UNIQUE,
  study_date TEXT NOT NULL DEFAULT '',
  root TEXT NOT NULL,
  imported_at TEXT NOT NULL);
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  series_uid TEXT NOT NULL UNIQUE,
  modality TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  folder TEXT NOT NULL,
  rows INTEGER NOT NULL,
  cols INTEGER NOT NULL,
  row_spacing_mm REAL NOT NULL,
  col_spacing_mm REAL NOT NULL,
  slice_count INTEGER NOT NULL,
  verdict TEXT NOT NULL DEFAULT '');
CREATE INDEX series_study ON series(study_id);
CREATE TABLE slices (
  id INTEGER PRIMARY KEY,
  series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  slice_index INTEGER NOT NULL CHECK (slice_index >= 0),
  sop_instance_uid TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL,
  frame INTEGER NOT NULL DEFAULT 0,
  position_mm REAL NOT NULL DEFAULT 0,
  UNIQUE (series_id, slice_index));
CREATE TABLE ai_results (
  slice_id INTEGER PRIMARY KEY REFERENCES slices(id) ON DELETE CASCADE,
  diagnosis_model TEXT NOT NULL,
  diagnosis_model_version TEXT NOT NULL,
  manifestation_model TEXT NOT NULL DEFAULT '',
  manifestation_model_version TEXT NOT NULL DEFAULT '',
  synthetic INTEGER NOT NULL DEFAULT 1,
  top_diagnosis TEXT NOT NULL DEFAULT '',
  top_manifestation TEXT NOT NULL DEFAULT '');
CREATE INDEX ai_results_diagnosis ON ai_results(top_diagnosis);
CREATE INDEX ai_results_manifestation ON ai_results(top_manifestation);
CREATE TABLE ai_scores (
  slice_id INTEGER NOT NULL REFERENCES ai_results(slice_id) ON DELETE CASCADE,
  task TEXT NOT NULL CHECK (task IN ('diagnosis', 'manifestation')),
  class TEXT NOT NULL,
  probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
  PRIMARY KEY (slice_id, task, class));
CREATE TABLE bookmarks (
  slice_id INTEGER PRIMARY KEY REFERENCES slices(id) ON DELETE CASCADE,
  note TEXT NOT NULL DEFAULT '',
  key_image INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL);
CREATE TABLE teacher_labels (
  slice_id INTEGER PRIMARY KEY REFERENCES slices(id) ON DELETE CASCADE,
  diagnosis TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL);
CREATE TABLE teacher_manifestations (
  slice_id INTEGER NOT NULL REFERENCES teacher_labels(slice_id) ON DELETE CASCADE,
  manifestation TEXT NOT NULL,
  PRIMARY KEY (slice_id, manifestation));
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE);
CREATE TABLE slice_tags (
  slice_id INTEGER NOT NULL REFERENCES slices(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  PRIMARY KEY (slice_id, tag_id));
)",
      // 2: Grad-CAM summaries; series whose files are gone.
      R"(
CREATE TABLE gradcam_summaries (
  slice_id INTEGER PRIMARY KEY REFERENCES ai_results(slice_id) ON DELETE CASCADE,
  class TEXT NOT NULL,
  peak_row INTEGER NOT NULL,
  peak_col INTEGER NOT NULL,
  peak_x_mm REAL NOT NULL,
  peak_y_mm REAL NOT NULL,
  peak_z_mm REAL NOT NULL,
  threshold REAL NOT NULL,
  area_over_threshold_mm2 REAL NOT NULL CHECK (area_over_threshold_mm2 >= 0),
  grid_height INTEGER NOT NULL,
  grid_width INTEGER NOT NULL,
  grid BLOB NOT NULL);
ALTER TABLE series ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;
)",
      // 3: the diagnosis model's out-of-distribution guard per series (issue 13).
      R"(
ALTER TABLE series ADD COLUMN ood_guarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN ood_scored INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN ood_flagged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE series ADD COLUMN out_of_distribution INTEGER NOT NULL DEFAULT 0;
)",
      // 4: where each Grad-CAM may be drawn (the slice's lung mask + margin, issue 12); empty on older rows.
      R"(
ALTER TABLE gradcam_summaries ADD COLUMN clip_height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE gradcam_summaries ADD COLUMN clip_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE gradcam_summaries ADD COLUMN clip BLOB;
)",
  };
  return list;
}

}  // namespace

int schemaVersion(Connection& connection) { return connection.scalar("PRAGMA user_version").toInt(); }

void requireCaseLibrary(Connection& connection) {
  QSqlQuery q = connection.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  std::vector<std::string> tables;
  while (q.next()) tables.push_back(q.value(0).toString().toStdString());
  connection.requireComplete(q);
  if (tables.empty()) return;
  const bool ours = std::find(tables.begin(), tables.end(), "studies") != tables.end() &&
                    std::find(tables.begin(), tables.end(), "slices") != tables.end();
  if (schemaVersion(connection) > 0 && ours) return;
  std::string list;
  for (std::size_t i = 0; i < tables.size() && i < 5; ++i) list += (i ? ", " : "") + tables[i];
  if (tables.size() > 5) list += ", ...";
  throw InputError(connection.file().string(),
                   "not a LungLens case library: an SQLite database of another program (tables " + list + ")");
}

void migrate(Connection& connection, int target) {
  const int count = static_cast<int>(migrations().size());
  if (count != kSchemaVersion) throw InternalError("case library: migration list and kSchemaVersion disagree");
  if (target < 0 || target > count) throw InternalError("case library: no schema version " + std::to_string(target));
  const int current = schemaVersion(connection);
  if (current > kSchemaVersion)
    throw InputError(connection.file().string(), "the case library has schema version " + std::to_string(current) +
                                                     ", newer than this LungLens understands (" +
                                                     std::to_string(kSchemaVersion) + ")");
  for (int version = current + 1; version <= target; ++version) {
    Transaction transaction(connection);
    // Another process may have migrated while we waited for the write lock.
    if (schemaVersion(connection) >= version) continue;
    connection.execScript(migrations()[static_cast<std::size_t>(version - 1)]);
    connection.exec(QString("PRAGMA user_version=%1").arg(version));
    transaction.commit();
  }
}

}  // namespace lunglens::core::library
