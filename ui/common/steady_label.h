#pragma once
// Word-wrapped text that changes while the reader scrolls (a line about the current slice). A QLabel asks its
// layout to measure everything again on every setText; in the AI dock, full of wrapped labels, that cost about
// 1.5 ms of the UI thread per scrolled frame (bench_ai_scroll). This label asks only when the new text needs a
// different number of lines at its width; otherwise a new text just repaints it.
#include <QString>
#include <QWidget>

namespace lunglens::ui {

class SteadyLabel : public QWidget {
  Q_OBJECT
 public:
  explicit SteadyLabel(QWidget* parent = nullptr);

  void setText(const QString& text);
  const QString& text() const { return text_; }

  bool hasHeightForWidth() const override { return true; }
  int heightForWidth(int width) const override;
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  int heightOf(const QString& text, int width) const;
  // The current text's height at the width it was last measured for: setText measures only the new text.
  int currentHeight(int width) const;

  QString text_;
  mutable int measuredWidth_ = -1, measuredHeight_ = 0;
};

}  // namespace lunglens::ui
