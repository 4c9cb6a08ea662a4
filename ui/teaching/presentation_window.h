#pragma once
// Presentation mode: full screen, black, large type, one slice at a time from the gallery, with no patient-
// identifying text at all (only the case label and slice number). A quiz: the slice and the question first; Space
// reveals the AI's and the teacher's answers (and H then shows the Grad-CAM map). Keys: Right / Page Down / N next,
// Left / Page Up / P previous, Shift (or Ctrl) + Right / Left the next / previous case, Space / Enter reveal or
// hide, H heatmap, Escape leaves.
#include <QImage>
#include <QWidget>
#include <optional>

#include "core/library/slice_source.h"

class QLabel;

namespace lunglens::ui::teaching {

class QuizModel;

class PresentationWindow : public QWidget {
  Q_OBJECT
 public:
  explicit PresentationWindow(QuizModel* quiz, QWidget* parent = nullptr);

  QuizModel& quiz() const { return *quiz_; }
  bool heatmapShown() const { return heatmap_; }
  // Every text the window shows right now, joined: for tests that check no identifying text appears.
  QString visibleText() const;

 signals:
  void closed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void update_();
  QRectF imageRect() const;

  QuizModel* quiz_;
  QLabel* position_;
  QLabel* prompt_;
  QLabel* ai_;
  QLabel* teacher_;
  QLabel* disclaimer_;
  QLabel* hint_;
  std::optional<core::library::SliceImage> slice_;
  QImage picture_, heatPicture_;
  QString error_;
  bool heatmap_ = false;
};

}  // namespace lunglens::ui::teaching
