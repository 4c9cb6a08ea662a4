#pragma once
// Presentation mode's presenter, a quiz: show a slice, ask, then reveal the AI's answer and the teacher's. Moving
// to the next or previous item hides the answers again. Only de-identified text (the case label and the slice
// number) is ever produced here: nothing that names the patient, no dates, no UIDs. No widgets.
#include <QObject>
#include <QString>
#include <vector>

#include "core/library/records.h"

namespace lunglens::ui::teaching {

class QuizModel : public QObject {
  Q_OBJECT
 public:
  explicit QuizModel(QObject* parent = nullptr);

  void setItems(std::vector<core::library::QueryRow> items, int start = 0);
  int count() const { return static_cast<int>(items_.size()); }
  int index() const { return index_; }  // -1 when empty
  const core::library::QueryRow* current() const;

  bool next();      // false at the end (stays on the last item)
  bool previous();  // false at the start
  // The first item of the next case (another study) / of this case, or of the previous one when already on it.
  bool nextCase();
  bool previousCase();
  void setRevealed(bool revealed);
  bool revealed() const { return revealed_; }

  QString position() const;       // "3 / 10"
  QString prompt() const;         // "Case 0003 · slice 5 of 12" and the question
  QString aiAnswer() const;       // "AI: COVID-19 93% · Ground-glass opacity 80%"
  QString teacherAnswer() const;  // "Teacher: COVID-19 · Ground-glass opacity — note"
  QString disclaimer() const;     // the reading-aid line with the model's provenance

 signals:
  void changed();

 private:
  std::vector<core::library::QueryRow> items_;
  int index_ = -1;
  bool revealed_ = false;
};

}  // namespace lunglens::ui::teaching
