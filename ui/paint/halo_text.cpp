#include "ui/paint/halo_text.h"

#include <QFontMetricsF>
#include <QPainterPath>
#include <algorithm>

namespace lunglens::ui::paint {

QRectF paintHaloText(QPainter& p, const QRectF& box, const QString& text, const QColor& colour, Qt::Alignment align) {
  if (text.isEmpty()) return {};
  const QFontMetricsF fm(p.font());
  const QStringList lines = text.split('\n');
  const double height = lines.size() * fm.lineSpacing();
  double y = (align & Qt::AlignBottom) ? box.bottom() - height : box.top();
  QRectF covered;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const QPen halo(QColor(0, 0, 0, 210), std::max(2.0, fm.height() / 5.0), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  for (const QString& line : lines) {
    const double w = fm.horizontalAdvance(line);
    const double x = (align & Qt::AlignRight) ? box.right() - w : (align & Qt::AlignHCenter) ? box.center().x() - w / 2
                                                                                              : box.left();
    QPainterPath path;
    path.addText(QPointF(x, y + fm.ascent()), p.font(), line);
    p.strokePath(path, halo);
    p.fillPath(path, colour);
    covered = covered.united(QRectF(x, y, w, fm.lineSpacing()));
    y += fm.lineSpacing();
  }
  p.restore();
  return covered;
}

}  // namespace lunglens::ui::paint
