#include "ui/paint/annotation_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPolygonF>
#include <cmath>
#include <cstdio>

#include "core/common/number_format.h"
#include "core/annotation/measurements.h"
#include "ui/paint/halo_text.h"

namespace lunglens::ui::paint {
namespace {

using core::annotation::Annotation;
using core::annotation::AnnotationKind;

const QColor kLine(255, 214, 0);
const QColor kSelected(0, 200, 255);
const QColor kShadow(0, 0, 0, 200);

void arrowHead(QPainter& p, QPointF tail, QPointF head, double size) {
  const double angle = std::atan2(head.y() - tail.y(), head.x() - tail.x());
  const QPointF a = head - QPointF(std::cos(angle - 0.45), std::sin(angle - 0.45)) * size;
  const QPointF b = head - QPointF(std::cos(angle + 0.45), std::sin(angle + 0.45)) * size;
  p.drawPolygon(QPolygonF({head, a, b}));
}

// The box paintHaloText covers for `text` at `at`.
QRectF labelBox(const QFontMetricsF& fm, QPointF at, const QString& text) {
  const QStringList lines = text.split('\n');
  double width = 0;
  for (const QString& line : lines) width = std::max(width, fm.horizontalAdvance(line));
  return QRectF(at, QSizeF(width, lines.size() * fm.lineSpacing()));
}

// The top at which `box` overlaps none of the labels already drawn: its own, or just below each it would cover.
double freeTop(QRectF box, const std::vector<QRectF>& drawn, double gap) {
  for (bool moved = true; moved;) {
    moved = false;
    for (const QRectF& other : drawn) {
      if (!other.isEmpty() && box.intersects(other)) {
        box.moveTop(other.bottom() + gap);
        moved = true;
      }
    }
  }
  return box.top();
}

}  // namespace

std::string annotationLabel(const Annotation& a, const MeasuredSlice& s) {
  std::string label;
  if (a.kind == AnnotationKind::Length) {
    label = core::fixed(core::annotation::lengthMm(a.points[0], a.points[1], s.columnSpacing_mm, s.rowSpacing_mm), 1) +
            " mm";
  } else if ((a.kind == AnnotationKind::Ellipse || a.kind == AnnotationKind::Freehand) && s.hu) {
    const auto stats = core::annotation::roiStats(a, s.hu, s.cols, s.rows, s.columnSpacing_mm, s.rowSpacing_mm);
    if (stats) {
      label = "mean " + core::fixed(stats->mean_hu, 0) + " HU  SD " + core::fixed(stats->sd_hu, 0) + "\nmin " +
              std::to_string(stats->min_hu) + "  max " + std::to_string(stats->max_hu) + " HU\n" +
              core::fixed(stats->area_mm2, 1) + " mm\u00b2";
    } else {
      label = "no voxel inside";
    }
  }
  if (a.kind != AnnotationKind::Text && !a.text.empty()) label = label.empty() ? a.text : a.text + "\n" + label;
  if (a.kind == AnnotationKind::Text) label = a.text;
  return label;
}

std::vector<QRectF> paintAnnotations(QPainter& p, const std::vector<Annotation>& annotations,
                                     const SlicePlacement& place, const MeasuredSlice& slice,
                                     const AnnotationStyle& style) {
  std::vector<QRectF> labels;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  QFont font("DejaVu Sans");
  font.setPixelSize(std::max(9, static_cast<int>(std::lround(13 * style.scale))));
  p.setFont(font);
  const double width = std::max(1.0, 1.6 * style.scale);
  for (const Annotation& a : annotations) {
    core::annotation::validate(a);
    const bool selected = style.selected && *style.selected == a.id;
    const QColor colour = selected ? kSelected : kLine;
    std::vector<QPointF> pts;
    for (const auto& v : a.points) pts.push_back(place.toPainter(v));
    QPointF labelAt = pts.front() + QPointF(8 * style.scale, 4 * style.scale);

    // A shadow pass under the line, then the line, so shapes read on any background.
    for (int pass = 0; pass < 2; ++pass) {
      p.setPen(QPen(pass == 0 ? kShadow : colour, pass == 0 ? width + 2 * style.scale : width, Qt::SolidLine,
                    Qt::RoundCap, Qt::RoundJoin));
      p.setBrush(Qt::NoBrush);
      switch (a.kind) {
        case AnnotationKind::Arrow:
          p.drawLine(pts[0], pts[1]);
          p.setBrush(pass == 0 ? kShadow : colour);
          arrowHead(p, pts[0], pts[1], 10 * style.scale);
          labelAt = pts[0] + QPointF(6 * style.scale, 2 * style.scale);
          break;
        case AnnotationKind::Length: {
          p.drawLine(pts[0], pts[1]);
          const QPointF d = pts[1] - pts[0];
          const double len = std::hypot(d.x(), d.y());
          const QPointF n = len > 0 ? QPointF(-d.y(), d.x()) * (5 * style.scale / len) : QPointF(0, 5 * style.scale);
          p.drawLine(pts[0] - n, pts[0] + n);
          p.drawLine(pts[1] - n, pts[1] + n);
          labelAt = (pts[0].x() > pts[1].x() ? pts[0] : pts[1]) + QPointF(6 * style.scale, -6 * style.scale);
          break;
        }
        case AnnotationKind::Ellipse: {
          const QRectF box = QRectF(pts[0], pts[1]).normalized();
          // Corners are voxel centres; the outline passes through them, matching the inside rule.
          p.drawEllipse(box);
          labelAt = QPointF(box.right() + 6 * style.scale, box.top());
          break;
        }
        case AnnotationKind::Freehand: {
          QPolygonF poly;
          for (const auto& q : pts) poly << q;
          p.drawPolygon(poly);
          double right = pts[0].x(), top = pts[0].y();
          for (const auto& q : pts) right = std::max(right, q.x()), top = std::min(top, q.y());
          labelAt = QPointF(right + 6 * style.scale, top);
          break;
        }
        case AnnotationKind::Text:
          if (pass == 1) {
            p.setBrush(colour);
            p.drawEllipse(pts[0], 2.5 * style.scale, 2.5 * style.scale);
          }
          labelAt = pts[0] + QPointF(5 * style.scale, -QFontMetricsF(font).ascent() / 2);
          break;
      }
    }
    if (selected) {
      p.setPen(QPen(Qt::black, 1));
      p.setBrush(kSelected);
      for (const auto& q : pts) p.drawRect(QRectF(q - QPointF(3, 3) * style.scale, QSizeF(6, 6) * style.scale));
    }
    const QString label = QString::fromStdString(annotationLabel(a, slice));
    QRectF box;
    if (!label.isEmpty()) {
      box = labelBox(QFontMetricsF(font), labelAt, label);
      box.moveTop(freeTop(box, labels, 2 * style.scale));
      paintHaloText(p, QRectF(box.topLeft(), QSizeF(1e6, 1e6)), label, colour);
    }
    labels.push_back(box);
  }
  p.restore();
  return labels;
}

}  // namespace lunglens::ui::paint
