#include "ui/teaching/quiz_model.h"

#include <cmath>

#include "core/common/disclaimer.h"
#include "core/common/number_format.h"
#include "core/export/ai_results.h"

namespace lunglens::ui::teaching {

namespace {

QString display(const std::string& cls) { return QString::fromStdString(core::exporting::displayClassName(cls)); }
QString percent(double p) { return QString::fromStdString(core::percent(p, "")); }

}  // namespace

QuizModel::QuizModel(QObject* parent) : QObject(parent) {}

void QuizModel::setItems(std::vector<core::library::QueryRow> items, int start) {
  items_ = std::move(items);
  index_ = items_.empty() ? -1 : std::clamp(start, 0, count() - 1);
  revealed_ = false;
  emit changed();
}

const core::library::QueryRow* QuizModel::current() const {
  return index_ < 0 ? nullptr : &items_[static_cast<std::size_t>(index_)];
}

bool QuizModel::next() {
  if (index_ < 0 || index_ + 1 >= count()) return false;
  ++index_;
  revealed_ = false;
  emit changed();
  return true;
}

bool QuizModel::previous() {
  if (index_ <= 0) return false;
  --index_;
  revealed_ = false;
  emit changed();
  return true;
}

bool QuizModel::nextCase() {
  if (index_ < 0) return false;
  const std::int64_t study = items_[static_cast<std::size_t>(index_)].study_id;
  for (int i = index_ + 1; i < count(); ++i)
    if (items_[static_cast<std::size_t>(i)].study_id != study) {
      index_ = i;
      revealed_ = false;
      emit changed();
      return true;
    }
  return false;
}

bool QuizModel::previousCase() {
  if (index_ <= 0) return false;
  auto studyAt = [this](int i) { return items_[static_cast<std::size_t>(i)].study_id; };
  // Back to the start of this case's run of items; from its start, to the start of the previous run.
  int i = index_;
  while (i > 0 && studyAt(i - 1) == studyAt(index_)) --i;
  if (i == index_) {
    --i;
    while (i > 0 && studyAt(i - 1) == studyAt(index_ - 1)) --i;
  }
  index_ = i;
  revealed_ = false;
  emit changed();
  return true;
}

void QuizModel::setRevealed(bool revealed) {
  if (revealed == revealed_ || index_ < 0) return;
  revealed_ = revealed;
  emit changed();
}

QString QuizModel::position() const {
  return index_ < 0 ? QString() : QString("%1 / %2").arg(index_ + 1).arg(count());
}

QString QuizModel::prompt() const {
  const auto* r = current();
  if (!r) return tr("No slices match the gallery's filter.");
  return tr("%1 · slice %2 of %3\nWhat do you see? Diagnosis and manifestations?")
      .arg(QString::fromStdString(r->study_label))
      .arg(r->slice + 1)
      .arg(r->slice_count);
}

QString QuizModel::aiAnswer() const {
  const auto* r = current();
  if (!r) return {};
  if (r->diagnosis.empty()) return tr("AI: no result for this slice");
  QString text = "AI: " + display(r->ai_diagnosis) + " " + percent(r->diagnosis.at(r->ai_diagnosis));
  if (!r->ai_manifestation.empty())
    text += " · " + display(r->ai_manifestation) + " " + percent(r->manifestation.at(r->ai_manifestation));
  return text;
}

QString QuizModel::teacherAnswer() const {
  const auto* r = current();
  if (!r) return {};
  if (!r->teacher) return tr("Teacher: no label for this slice");
  QString text = "Teacher: " + (r->teacher->diagnosis.empty() ? tr("(no diagnosis)") : display(r->teacher->diagnosis));
  for (const auto& m : r->teacher->manifestations) text += " · " + display(m);
  if (!r->teacher->note.empty()) text += " — " + QString::fromStdString(r->teacher->note);
  return text;
}

QString QuizModel::disclaimer() const {
  const auto* r = current();
  QString text = QString::fromUtf8(core::kDisclaimer);
  if (r && !r->model.name.empty()) {
    text += " · " + QString::fromStdString(r->model.name + " " + r->model.version);
    if (r->model.synthetic) text += tr(" (trained on synthetic phantoms)");
  }
  return text;
}

}  // namespace lunglens::ui::teaching
