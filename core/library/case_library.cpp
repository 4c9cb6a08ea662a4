#include "core/library/case_library.h"

#include <QDateTime>
#include <QSqlQuery>

#include <cstring>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/inference/slice_class.h"
#include "core/library/schema.h"

namespace lunglens::core::library {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString nowUtc() { return QDateTime::currentDateTimeUtc().toString(Qt::ISODate); }

QByteArray gridBytes(const std::vector<float>& grid) {
  return QByteArray(reinterpret_cast<const char*>(grid.data()), static_cast<int>(grid.size() * sizeof(float)));
}

// A lung clip is mostly long runs of 0 and 1: zlib keeps a 128² clip to a few hundred bytes. Null when absent.
QVariant clipBytes(const std::vector<std::uint8_t>& clip) {
  if (clip.empty()) return QVariant(QMetaType(QMetaType::QByteArray));
  return qCompress(QByteArray(reinterpret_cast<const char*>(clip.data()), static_cast<int>(clip.size())));
}

std::int64_t writeSeries(Connection& c, std::int64_t study_id, const SeriesRecord& s) {
  c.exec("INSERT INTO series (study_id, series_uid, modality, description, folder, rows, cols, row_spacing_mm, "
         "col_spacing_mm, slice_count, verdict, ood_guarded, ood_scored, ood_flagged, out_of_distribution, missing) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
         "ON CONFLICT (series_uid) DO UPDATE SET study_id = excluded.study_id, modality = excluded.modality, "
         "description = excluded.description, folder = excluded.folder, rows = excluded.rows, cols = excluded.cols, "
         "row_spacing_mm = excluded.row_spacing_mm, col_spacing_mm = excluded.col_spacing_mm, "
         "slice_count = excluded.slice_count, verdict = excluded.verdict, ood_guarded = excluded.ood_guarded, "
         "ood_scored = excluded.ood_scored, ood_flagged = excluded.ood_flagged, "
         "out_of_distribution = excluded.out_of_distribution, missing = 0",
         {QVariant::fromValue<qlonglong>(study_id), q(s.series_uid), q(s.modality), q(s.description), pathToSql(s.folder),
          s.rows, s.cols, s.pixel_spacing_mm[0], s.pixel_spacing_mm[1], static_cast<int>(s.slices.size()),
          q(s.verdict), s.ood.guarded ? 1 : 0, s.ood.scored, s.ood.flagged, s.ood.out_of_distribution ? 1 : 0});
  const qlonglong series_id = c.scalar("SELECT id FROM series WHERE series_uid = ?", {q(s.series_uid)}).toLongLong();
  // A re-import with fewer slices drops the surplus (and whatever was attached to them).
  c.exec("DELETE FROM slices WHERE series_id = ? AND slice_index >= ?",
         {series_id, static_cast<int>(s.slices.size())});
  for (const SliceRecord& sl : s.slices) {
    c.exec("INSERT INTO slices (series_id, slice_index, sop_instance_uid, file, frame, position_mm) "
           "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, slice_index) DO UPDATE SET "
           "sop_instance_uid = excluded.sop_instance_uid, file = excluded.file, frame = excluded.frame, "
           "position_mm = excluded.position_mm",
           {series_id, sl.index, q(sl.sop_instance_uid), pathToSql(sl.file), sl.frame, sl.position_mm});
    const qlonglong slice_id =
        c.scalar("SELECT id FROM slices WHERE series_id = ? AND slice_index = ?", {series_id, sl.index}).toLongLong();
    c.exec("DELETE FROM ai_results WHERE slice_id = ?", {slice_id});  // cascades to scores and Grad-CAM
    if (sl.diagnosis.empty()) continue;
    c.exec("INSERT INTO ai_results (slice_id, diagnosis_model, diagnosis_model_version, manifestation_model, "
           "manifestation_model_version, synthetic, top_diagnosis, top_manifestation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
           {slice_id, q(s.diagnosis_model.name), q(s.diagnosis_model.version),
            q(sl.manifestation.empty() ? "" : s.manifestation_model.name),
            q(sl.manifestation.empty() ? "" : s.manifestation_model.version),
            s.diagnosis_model.synthetic || s.manifestation_model.synthetic ? 1 : 0,
            q(inference::topClass(sl.diagnosis)), q(inference::topClass(sl.manifestation))});
    for (const auto& [cls, p] : sl.diagnosis)
      c.exec("INSERT INTO ai_scores (slice_id, task, class, probability) VALUES (?, 'diagnosis', ?, ?)",
             {slice_id, q(cls), p});
    for (const auto& [cls, p] : sl.manifestation)
      c.exec("INSERT INTO ai_scores (slice_id, task, class, probability) VALUES (?, 'manifestation', ?, ?)",
             {slice_id, q(cls), p});
    if (const auto& g = sl.gradcam) {
      if (g->grid.size() != static_cast<std::size_t>(g->grid_height) * static_cast<std::size_t>(g->grid_width))
        throw InternalError("Grad-CAM summary of slice " + std::to_string(sl.index) + ": grid size mismatch");
      if (g->clip.size() != static_cast<std::size_t>(g->clip_height) * static_cast<std::size_t>(g->clip_width))
        throw InternalError("Grad-CAM summary of slice " + std::to_string(sl.index) + ": clip size mismatch");
      c.exec("INSERT INTO gradcam_summaries (slice_id, class, peak_row, peak_col, peak_x_mm, peak_y_mm, peak_z_mm, "
             "threshold, area_over_threshold_mm2, grid_height, grid_width, grid, clip_height, clip_width, clip) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {slice_id, q(g->class_name), g->peak_row, g->peak_col, g->peak_x_mm, g->peak_y_mm, g->peak_z_mm,
              g->threshold, g->area_over_threshold_mm2, g->grid_height, g->grid_width, gridBytes(g->grid),
              g->clip_height, g->clip_width, clipBytes(g->clip)});
    }
  }
  return series_id;
}

StudySummary summaryFrom(QSqlQuery& r) {
  StudySummary s;
  s.id = r.value(0).toLongLong();
  s.study_uid = r.value(1).toString().toStdString();
  s.label = r.value(2).toString().toStdString();
  s.study_date = r.value(3).toString().toStdString();
  s.root = pathFromSql(r.value(4));
  s.imported_at = r.value(5).toString().toStdString();
  s.series_count = r.value(6).toInt();
  s.slice_count = r.value(7).toInt();
  s.missing = r.value(8).toInt() > 0;
  return s;
}

const char* kStudySelect =
    "SELECT st.id, st.study_uid, st.label, st.study_date, st.root, st.imported_at, "
    "(SELECT COUNT(*) FROM series se WHERE se.study_id = st.id), "
    "(SELECT COALESCE(SUM(se.slice_count), 0) FROM series se WHERE se.study_id = st.id), "
    "(SELECT COUNT(*) FROM series se WHERE se.study_id = st.id AND se.missing) FROM studies st ";

}  // namespace

std::filesystem::path CaseLibrary::defaultFile() { return userDataDir() / "library.sqlite"; }

CaseLibrary::CaseLibrary(const std::filesystem::path& file) : connection_(std::make_unique<Connection>(file)) {
  requireCaseLibrary(*connection_);
  connection_->requireIntact();
  if (connection_->readOnly()) {
    if (schemaVersion(*connection_) != kSchemaVersion)
      throw InputError(file.string(), "the case library is on read-only media and needs an upgrade to schema version " +
                                          std::to_string(kSchemaVersion) + "; copy it somewhere writable first");
    return;
  }
  migrate(*connection_);
}

CaseLibrary::~CaseLibrary() = default;

StudySummary CaseLibrary::writeStudy(const StudyRecord& study) {
  if (study.study_uid.empty()) throw InputError(study.root, "a study without a StudyInstanceUID cannot be imported");
  Connection& c = *connection_;
  Transaction transaction(c);
  QVariant id = c.scalar("SELECT id FROM studies WHERE study_uid = ?", {q(study.study_uid)});
  if (!id.isValid()) {
    // The label is made from the row id, so insert first with a placeholder that cannot clash (UIDs have no space).
    c.exec("INSERT INTO studies (study_uid, label, study_date, root, imported_at) VALUES (?, ?, ?, ?, ?)",
           {q(study.study_uid), q("new " + study.study_uid), q(study.study_date), pathToSql(study.root), nowUtc()});
    id = c.scalar("SELECT last_insert_rowid()");
    c.exec("UPDATE studies SET label = printf('Case %04d', id) WHERE id = ?", {id});
  } else {
    c.exec("UPDATE studies SET study_date = ?, root = ?, imported_at = ? WHERE id = ?",
           {q(study.study_date), pathToSql(study.root), nowUtc(), id});
  }
  for (const SeriesRecord& s : study.series) writeSeries(c, id.toLongLong(), s);
  transaction.commit();
  return *this->study(study.study_uid);
}

std::vector<StudySummary> CaseLibrary::studies() {
  std::vector<StudySummary> out;
  QSqlQuery r = connection_->exec(QString(kStudySelect) + "ORDER BY st.id");
  while (r.next()) out.push_back(summaryFrom(r));
  connection_->requireComplete(r);
  return out;
}

std::optional<StudySummary> CaseLibrary::study(const std::string& uid_or_label) {
  QSqlQuery r =
      connection_->exec(QString(kStudySelect) + "WHERE st.study_uid = ? OR st.label = ?", {q(uid_or_label), q(uid_or_label)});
  if (!r.next()) return std::nullopt;
  return summaryFrom(r);
}

bool CaseLibrary::removeStudy(const std::string& uid_or_label) {
  const auto s = study(uid_or_label);
  if (!s) return false;
  Transaction transaction(*connection_);
  connection_->exec("DELETE FROM studies WHERE id = ?", {QVariant::fromValue<qlonglong>(s->id)});
  transaction.commit();
  return true;
}

std::int64_t CaseLibrary::sliceId(const std::string& series_uid, int slice) {
  const QVariant id = connection_->scalar(
      "SELECT sl.id FROM slices sl JOIN series se ON se.id = sl.series_id WHERE se.series_uid = ? AND "
      "sl.slice_index = ?",
      {q(series_uid), slice});
  if (!id.isValid())
    throw InputError(series_uid, "the case library has no slice " + std::to_string(slice) + " in this series");
  return id.toLongLong();
}

}  // namespace lunglens::core::library
