#pragma once
// Presentation mode: full screen, black, large type, one quiz item at a time from the gallery, with no patient-
// identifying text at all (only the case label and slice number). A quiz: the slice and the question first; Space
// reveals the AI's and the teacher's answers (and H then shows the Grad-CAM map). With a stack source an item is a
// short stack of slices around the quiz slice that students scroll (mouse wheel, or , and .) and window (W cycles
// lung / mediastinum / bone). Keys: Right / Page Down / N next, Left / Page Up / P previous, Shift (or Ctrl) +
// Right / Left the next / previous case, Space / Enter reveal or hide, H heatmap, Escape leaves. Its keys are its
// own while it has focus: the viewer's application-wide shortcuts (H is also the viewer's heatmap) never take them.
#include <QImage>
#include <QWidget>
#include <functional>
#include <optional>
#include <vector>

#include "core/library/slice_source.h"
#include "core/volume/window.h"

class QLabel;

namespace lunglens::ui::teaching {

class QuizModel;

class PresentationWindow : public QWidget {
  Q_OBJECT
 public:
  explicit PresentationWindow(QuizModel* quiz, QWidget* parent = nullptr);

  QuizModel& quiz() const { return *quiz_; }
  bool heatmapShown() const { return heatmap_; }

  // Where an item's stack comes from (GalleryModel::sliceStack); none: every item is its one slice.
  using StackSource = std::function<std::vector<core::library::QueryRow>(const core::library::QueryRow&)>;
  void setStackSource(StackSource source);
  // The slice shown now (the quiz slice, or one of its stack) and the stack's size; -1 / 0 without an item.
  int shownSlice() const;
  int stackSize() const { return static_cast<int>(stack_.size()); }
  // Moves through the stack by `steps` slices (clamped to it).
  void scrollStack(int steps);
  const core::volume::Window& displayWindow() const { return window_; }
  void nextWindow();  // lung -> mediastinum -> bone -> lung
  // What is drawn now, at full resolution (the heatmap only on the quiz slice, once revealed).
  const QImage& shownPicture() const;
  // Every text the window shows right now, joined: for tests that check no identifying text appears.
  QString visibleText() const;

 signals:
  void closed();

 protected:
  bool event(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void closeEvent(QCloseEvent* event) override;

 private:
  void update_();
  void loadStackSlice();  // picture_ (and heatPicture_ on the quiz slice) for stack_[stackAt_] in window_
  QRectF imageRect() const;
  bool onQuizSlice() const;

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
  StackSource stackSource_;
  std::vector<core::library::QueryRow> stack_;  // the item's slices in order; the quiz slice among them
  int stackAt_ = 0;                             // the one shown
  int quizAt_ = 0;                              // the quiz slice's place in stack_
  core::volume::Window window_ = core::volume::lungWindow();
};

}  // namespace lunglens::ui::teaching
