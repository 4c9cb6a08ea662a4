// CaseLibrary::query: the slices matching a filter, highest score first, with their scores, the teacher's label,
// tags and Grad-CAM summary; CaseLibrary::sliceStack: a quiz item's neighbouring slices.
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cstring>

#include "core/common/error.h"
#include "core/library/case_library.h"

namespace lunglens::core::library {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QVariant v(std::int64_t id) { return QVariant::fromValue<qlonglong>(id); }

// SQL for the score the filter is about (see QueryRow::score), with its bindings appended to `binds`.
QString scoreExpression(const QueryFilter& f, QVariantList& binds) {
  const char* pick = "(SELECT probability FROM ai_scores s WHERE s.slice_id = sl.id AND s.task = ? AND s.class = ?)";
  if (!f.manifestation.empty()) {
    binds << "manifestation" << q(f.manifestation);
    return pick;
  }
  if (!f.diagnosis.empty()) {
    binds << "diagnosis" << q(f.diagnosis);
    return pick;
  }
  binds << "diagnosis" << "normal";
  return QString("1.0 - ") + pick;
}

QString matchCondition(QueryFilter::Source source, const char* ai, const char* teacher) {
  switch (source) {
    case QueryFilter::Source::Ai: return ai;
    case QueryFilter::Source::Teacher: return teacher;
    case QueryFilter::Source::Either: break;
  }
  return QString("(%1 OR %2)").arg(ai, teacher);
}

void fillDetails(Connection& c, std::int64_t slice_id, QueryRow& row) {
  QSqlQuery s = c.exec("SELECT task, class, probability FROM ai_scores WHERE slice_id = ?", {v(slice_id)});
  while (s.next()) {
    auto& target = s.value(0).toString() == "diagnosis" ? row.diagnosis : row.manifestation;
    target[s.value(1).toString().toStdString()] = s.value(2).toDouble();
  }
  QSqlQuery t = c.exec("SELECT diagnosis, note FROM teacher_labels WHERE slice_id = ?", {v(slice_id)});
  if (t.next()) {
    TeacherLabel label;
    label.diagnosis = t.value(0).toString().toStdString();
    label.note = t.value(1).toString().toStdString();
    QSqlQuery m = c.exec(
        "SELECT manifestation FROM teacher_manifestations WHERE slice_id = ? ORDER BY manifestation", {v(slice_id)});
    while (m.next()) label.manifestations.push_back(m.value(0).toString().toStdString());
    row.teacher = std::move(label);
  }
  QSqlQuery g = c.exec(
      "SELECT t.name FROM slice_tags x JOIN tags t ON t.id = x.tag_id WHERE x.slice_id = ? ORDER BY t.name",
      {v(slice_id)});
  while (g.next()) row.tags.push_back(g.value(0).toString().toStdString());
  QSqlQuery h = c.exec(
      "SELECT class, peak_row, peak_col, peak_x_mm, peak_y_mm, peak_z_mm, threshold, area_over_threshold_mm2, "
      "grid_height, grid_width, grid, clip_height, clip_width, clip FROM gradcam_summaries WHERE slice_id = ?",
      {v(slice_id)});
  if (h.next()) {
    GradcamSummary sum;
    sum.class_name = h.value(0).toString().toStdString();
    sum.peak_row = h.value(1).toInt();
    sum.peak_col = h.value(2).toInt();
    sum.peak_x_mm = h.value(3).toDouble();
    sum.peak_y_mm = h.value(4).toDouble();
    sum.peak_z_mm = h.value(5).toDouble();
    sum.threshold = h.value(6).toDouble();
    sum.area_over_threshold_mm2 = h.value(7).toDouble();
    sum.grid_height = h.value(8).toInt();
    sum.grid_width = h.value(9).toInt();
    const QByteArray bytes = h.value(10).toByteArray();
    const std::size_t n = static_cast<std::size_t>(sum.grid_height) * static_cast<std::size_t>(sum.grid_width);
    if (static_cast<std::size_t>(bytes.size()) == n * sizeof(float)) {
      sum.grid.resize(n);
      std::memcpy(sum.grid.data(), bytes.constData(), bytes.size());
    }
    // A clip that does not unpack to its size is dropped (drawn with the body-air fallback), never trusted.
    const QByteArray clip = h.value(13).isNull() ? QByteArray() : qUncompress(h.value(13).toByteArray());
    const int ch = h.value(11).toInt(), cw = h.value(12).toInt();
    if (ch > 0 && cw > 0 && clip.size() == static_cast<qsizetype>(ch) * cw) {
      sum.clip_height = ch;
      sum.clip_width = cw;
      sum.clip.assign(clip.begin(), clip.end());
    }
    row.gradcam = std::move(sum);
  }
}

}  // namespace

std::vector<QueryRow> CaseLibrary::query(const QueryFilter& f) {
  QVariantList binds;
  const QString score = scoreExpression(f, binds);
  QString sql =
      "SELECT * FROM (SELECT sl.id, st.id, st.label, st.study_uid, se.series_uid, sl.slice_index, sl.file, sl.frame, "
      "se.rows, se.cols, se.slice_count, sl.position_mm, se.missing, COALESCE(ar.top_diagnosis, ''), "
      "COALESCE(ar.top_manifestation, ''), " + score + " AS score, "
      "COALESCE(ar.diagnosis_model, ''), COALESCE(ar.diagnosis_model_version, ''), COALESCE(ar.synthetic, 1), "
      "se.out_of_distribution "
      "FROM slices sl JOIN series se ON se.id = sl.series_id JOIN studies st ON st.id = se.study_id "
      "LEFT JOIN ai_results ar ON ar.slice_id = sl.id WHERE 1";
  if (!f.diagnosis.empty()) {
    sql += " AND " + matchCondition(f.source, "ar.top_diagnosis = ?",
                                    "EXISTS (SELECT 1 FROM teacher_labels t WHERE t.slice_id = sl.id AND "
                                    "t.diagnosis = ?)");
    binds << q(f.diagnosis);
    if (f.source == QueryFilter::Source::Either) binds << q(f.diagnosis);
  }
  if (!f.manifestation.empty()) {
    sql += " AND " + matchCondition(f.source, "ar.top_manifestation = ?",
                                    "EXISTS (SELECT 1 FROM teacher_manifestations m WHERE m.slice_id = sl.id AND "
                                    "m.manifestation = ?)");
    binds << q(f.manifestation);
    if (f.source == QueryFilter::Source::Either) binds << q(f.manifestation);
  }
  // A source alone (no class chosen) still filters: "teacher" is the slices a teacher has labelled, "ai" those
  // with AI results; before, it was ignored and a teaching set of "teacher" slices held every slice.
  if (f.diagnosis.empty() && f.manifestation.empty()) {
    if (f.source == QueryFilter::Source::Teacher)
      sql += " AND EXISTS (SELECT 1 FROM teacher_labels t WHERE t.slice_id = sl.id)";
    else if (f.source == QueryFilter::Source::Ai)
      sql += " AND ar.slice_id IS NOT NULL";
  }
  if (!f.tag.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM slice_tags x JOIN tags t ON t.id = x.tag_id WHERE x.slice_id = sl.id AND "
           "t.name = ?)";
    binds << q(f.tag);
  }
  if (!f.include_missing) sql += " AND se.missing = 0";
  if (!f.include_out_of_distribution) sql += " AND se.out_of_distribution = 0";
  sql += ") WHERE 1";
  if (f.min_score) {
    sql += " AND score >= ?";
    binds << *f.min_score;
  }
  if (f.max_score) {
    sql += " AND score <= ?";
    binds << *f.max_score;
  }
  sql += " ORDER BY score DESC NULLS LAST, 3, 5, 6";
  if (f.limit > 0) sql += QString(" LIMIT %1").arg(f.limit);

  QSqlQuery r(connection_->db());
  if (!r.prepare(sql))
    throw InputError(file().string(), "the case library cannot be queried: " + r.lastError().text().toStdString());
  for (const QVariant& b : binds) r.addBindValue(b);
  if (!r.exec()) throw InputError(file().string(), "query failed: " + r.lastError().text().toStdString());
  std::vector<std::pair<std::int64_t, QueryRow>> found;
  while (r.next()) {
    QueryRow row;
    row.study_id = r.value(1).toLongLong();
    row.study_label = r.value(2).toString().toStdString();
    row.study_uid = r.value(3).toString().toStdString();
    row.series_uid = r.value(4).toString().toStdString();
    row.slice = r.value(5).toInt();
    row.file = pathFromSql(r.value(6));
    row.frame = r.value(7).toInt();
    row.rows = r.value(8).toInt();
    row.cols = r.value(9).toInt();
    row.slice_count = r.value(10).toInt();
    row.position_mm = r.value(11).toDouble();
    row.missing = r.value(12).toInt() != 0;
    row.ai_diagnosis = r.value(13).toString().toStdString();
    row.ai_manifestation = r.value(14).toString().toStdString();
    if (!r.value(15).isNull()) row.score = r.value(15).toDouble();
    row.model = {r.value(16).toString().toStdString(), r.value(17).toString().toStdString(), r.value(18).toInt() != 0};
    row.out_of_distribution = r.value(19).toInt() != 0;
    found.emplace_back(r.value(0).toLongLong(), std::move(row));
  }
  connection_->requireComplete(r);
  std::vector<QueryRow> out;
  out.reserve(found.size());
  for (auto& [id, row] : found) {
    fillDetails(*connection_, id, row);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<QueryRow> CaseLibrary::sliceStack(const QueryRow& row, int radius) {
  QSqlQuery r = connection_->exec(
      "SELECT sl.slice_index, sl.file, sl.frame, sl.position_mm FROM slices sl JOIN series se ON se.id = sl.series_id "
      "WHERE se.series_uid = ? AND sl.slice_index BETWEEN ? AND ? ORDER BY sl.slice_index",
      {q(row.series_uid), row.slice - std::max(0, radius), row.slice + std::max(0, radius)});
  std::vector<QueryRow> out;
  while (r.next()) {
    QueryRow s = row;  // the series' identity; the slice's own place below, and none of the item's AI details
    s.score.reset();
    s.diagnosis.clear();
    s.manifestation.clear();
    s.ai_diagnosis.clear();
    s.ai_manifestation.clear();
    s.teacher.reset();
    s.tags.clear();
    s.gradcam.reset();
    s.slice = r.value(0).toInt();
    s.file = r.value(1).toString().toStdString();
    s.frame = r.value(2).toInt();
    s.position_mm = r.value(3).toDouble();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace lunglens::core::library
