#include "ui/ai/probability_bars.h"

#include <QPainter>
#include <algorithm>

#include "core/common/number_format.h"
#include "ui/paint/class_palette.h"

namespace lunglens::ui::ai {

namespace {
constexpr int kRow = 22;
}

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ProbabilityBars::setBars(std::vector<Bar> bars, const QString& emptyText) {
  const bool resize = bars.size() != bars_.size();
  bars_ = std::move(bars);
  emptyText_ = emptyText;
  if (resize) updateGeometry();
  update();
}

QSize ProbabilityBars::sizeHint() const { return {240, std::max<int>(1, static_cast<int>(bars_.size())) * kRow + 2}; }

void ProbabilityBars::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QColor text(215, 218, 224), track(45, 48, 54);
  if (bars_.empty()) {
    p.setPen(QColor(150, 153, 160));
    p.drawText(rect(), Qt::AlignLeft | Qt::AlignVCenter, emptyText_);
    return;
  }
  QFont normal = font(), bold = font();
  bold.setBold(true);
  const int labelWidth = std::max(QFontMetrics(bold).horizontalAdvance("Ground-glass opacity") + 8, 120);
  const int valueWidth = QFontMetrics(bold).horizontalAdvance("100%") + 6;
  const int barLeft = labelWidth, barWidth = std::max(20, width() - labelWidth - valueWidth - 4);
  for (std::size_t i = 0; i < bars_.size(); ++i) {
    const Bar& b = bars_[i];
    const int y = static_cast<int>(i) * kRow;
    p.setFont(b.over_threshold ? bold : normal);
    p.setPen(text);
    p.drawText(QRect(0, y, labelWidth - 6, kRow), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(b.label));
    const QRectF trackRect(barLeft, y + 5, barWidth, kRow - 10);
    p.setPen(Qt::NoPen);
    p.setBrush(track);
    p.drawRoundedRect(trackRect, 3, 3);
    QColor fill = paint::classColour(b.cls);
    if (!b.over_threshold) fill = fill.darker(135);
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(trackRect.left(), trackRect.top(),
                             trackRect.width() * std::clamp(b.probability, 0.0f, 1.0f), trackRect.height()),
                      3, 3);
    if (b.cls != "normal") {  // the threshold this class is judged against
      const double tx = trackRect.left() + trackRect.width() * b.threshold;
      p.setPen(QPen(QColor(240, 240, 240, 190), 1.5));
      p.drawLine(QPointF(tx, y + 2), QPointF(tx, y + kRow - 2));
    }
    p.setPen(text);
    p.drawText(QRect(barLeft + barWidth + 4, y, valueWidth, kRow), Qt::AlignRight | Qt::AlignVCenter,
               QString::fromStdString(core::percent(b.probability, "")));
  }
}

}  // namespace lunglens::ui::ai
