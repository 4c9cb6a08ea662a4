#include "ui/common/steady_label.h"

#include <QEvent>
#include <QPainter>
#include <QSizePolicy>
#include <algorithm>

namespace lunglens::ui {

namespace {
constexpr int kFlags = Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop;
}

SteadyLabel::SteadyLabel(QWidget* parent) : QWidget(parent) {
  QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
  policy.setHeightForWidth(true);
  setSizePolicy(policy);
}

int SteadyLabel::heightOf(const QString& text, int width) const {
  if (text.isEmpty()) return 0;
  return fontMetrics().boundingRect(QRect(0, 0, std::max(1, width), 1 << 20), kFlags, text).height();
}

int SteadyLabel::currentHeight(int width) const {
  if (width != measuredWidth_) {
    measuredHeight_ = heightOf(text_, width);
    measuredWidth_ = width;
  }
  return measuredHeight_;
}

void SteadyLabel::setText(const QString& text) {
  if (text == text_) return;
  const int w = width(), old_height = currentHeight(w), new_height = heightOf(text, w);
  text_ = text;
  measuredHeight_ = new_height;  // still measured at w
  if (new_height != old_height) updateGeometry();
  update();
}

int SteadyLabel::heightForWidth(int width) const { return currentHeight(width); }

QSize SteadyLabel::sizeHint() const {
  const int width = fontMetrics().averageCharWidth() * 40;
  return {width, heightOf(text_, width)};
}

QSize SteadyLabel::minimumSizeHint() const {
  return {fontMetrics().averageCharWidth() * 8, text_.isEmpty() ? 0 : fontMetrics().lineSpacing()};
}

void SteadyLabel::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setPen(palette().color(foregroundRole()));
  painter.drawText(rect(), kFlags, text_);
}

void SteadyLabel::changeEvent(QEvent* event) {
  // A style sheet sets the font after construction: the height in lines changes with it.
  if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) {
    measuredWidth_ = -1;  // measured with the old font
    updateGeometry();
  }
  QWidget::changeEvent(event);
}

}  // namespace lunglens::ui
