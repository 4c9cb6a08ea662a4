#pragma once
// The AI's part of the status bar: while the engine scores, a progress bar ("AI 120 / 300") and a cancel button;
// afterwards one line ("AI: 300 slices scored", or how far it got when stopped).
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace lunglens::ui::ai {

class ScoringProgress : public QWidget {
  Q_OBJECT
 public:
  explicit ScoringProgress(QWidget* parent = nullptr);
  // `total` 0: no series. Call at most a few times a second: QProgressBar repaints synchronously.
  void setState(bool scoring, int scored, int total);
  QString text() const;

 signals:
  void cancelRequested();

 private:
  QLabel* label_;
  QProgressBar* bar_;
  QToolButton* cancel_;
};

}  // namespace lunglens::ui::ai
