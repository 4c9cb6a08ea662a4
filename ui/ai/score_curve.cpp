#include "ui/ai/score_curve.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "ui/paint/class_palette.h"
#include "ui/ai/lung_model.h"

namespace lunglens::ui::ai {

ScoreCurve::ScoreCurve(AiScoresModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  setMouseTracking(false);
  setCursor(Qt::PointingHandCursor);
  setToolTip(tr("Per-slice AI probabilities along the series (gaps: not scored yet). Click or drag to go to a slice."));
  // Repaints coalesce: a burst of results costs one paint per frame.
  auto redrawCurves = [this]() {
    cacheDirty_ = true;
    update();
  };
  connect(model_, &AiScoresModel::seriesChanged, this, redrawCurves);
  streamTimer_.setSingleShot(true);
  streamTimer_.setInterval(150);
  connect(&streamTimer_, &QTimer::timeout, this, redrawCurves);
  connect(model_, &AiScoresModel::scoresChanged, this, [this, redrawCurves]() {
    if (model_->allScored()) {
      redrawCurves();  // the last result: at once
    } else if (!streamTimer_.isActive()) {
      streamTimer_.start();
    }
  });
  connect(model_, &AiScoresModel::settingsChanged, this, redrawCurves);
  connect(model_, &AiScoresModel::currentSliceChanged, this, qOverload<>(&QWidget::update));
}

QColor ScoreCurve::involvementColour() { return QColor(190, 140, 255); }

void ScoreCurve::setLungModel(LungModel* lung) {
  lung_ = lung;
  connect(lung_, &LungModel::changed, this, [this]() {
    cacheDirty_ = true;
    update();
  });
  cacheDirty_ = true;
  update();
}

void ScoreCurve::paintLung(QPainter& p, const QRectF& r) {
  if (!lung_ || lung_->sliceCount() != model_->sliceCount()) return;
  const std::vector<float> inv = lung_->involvementCurve();
  if (inv.empty()) return;
  const int n = static_cast<int>(inv.size());
  const double half = n > 1 ? r.width() / (n - 1) / 2 : r.width() / 2;
  // "No lung" bands: runs of slices without lung, greyed and hatched, labelled when wide enough.
  for (int z = 0; z < n;) {
    if (inv[static_cast<std::size_t>(z)] >= 0) {
      ++z;
      continue;
    }
    int end = z;
    while (end + 1 < n && inv[static_cast<std::size_t>(end + 1)] < 0) ++end;
    double x0 = xOf(z), x1 = xOf(end);
    if (x0 > x1) std::swap(x0, x1);
    const QRectF band(QPointF(std::max(r.left(), x0 - half), r.top()), QPointF(std::min(r.right(), x1 + half), r.bottom()));
    p.fillRect(band, QColor(120, 124, 132, 70));
    p.fillRect(band, QBrush(QColor(150, 154, 162, 60), Qt::BDiagPattern));
    if (band.width() > QFontMetrics(p.font()).horizontalAdvance(tr("no lung")) + 4) {
      p.setPen(QColor(190, 192, 198));
      p.drawText(band.adjusted(0, 2, 0, 0), Qt::AlignHCenter | Qt::AlignTop, tr("no lung"));
    }
    z = end + 1;
  }
  // Involvement: a filled area from the axis, one segment per run of lung slices.
  const QColor c = involvementColour();
  for (int z = 0; z < n;) {
    if (inv[static_cast<std::size_t>(z)] < 0) {
      ++z;
      continue;
    }
    QPainterPath area;
    area.moveTo(xOf(z), r.bottom());
    int last = z;
    for (; last < n && inv[static_cast<std::size_t>(last)] >= 0; ++last)
      area.lineTo(xOf(last), r.bottom() - std::clamp(inv[static_cast<std::size_t>(last)] / 100.0, 0.0, 1.0) * r.height());
    area.lineTo(xOf(last - 1), r.bottom());
    area.closeSubpath();
    p.setPen(QPen(c, 1.2));
    QColor fill = c;
    fill.setAlpha(60);
    p.setBrush(fill);
    p.drawPath(area);
    z = last;
  }
  p.setBrush(Qt::NoBrush);
}

void ScoreCurve::setSliceOrder(bool highIndexAtLeft) {
  highIndexAtLeft_ = highIndexAtLeft;
  cacheDirty_ = true;
  update();
}

QRectF ScoreCurve::plotRect() const {
  const QFontMetrics fm(font());
  const double left = fm.horizontalAdvance("1.0") + 8, bottom = fm.height() + 10;
  return QRectF(left, 6, std::max(1.0, width() - left - 8), std::max(1.0, height() - 6 - bottom));
}

double ScoreCurve::xOf(int slice) const {
  const QRectF r = plotRect();
  const int n = model_->sliceCount();
  if (n <= 1) return r.center().x();
  const double t = static_cast<double>(slice) / (n - 1);
  return r.left() + (highIndexAtLeft_ ? 1.0 - t : t) * r.width();
}

int ScoreCurve::sliceAt(double x) const {
  const int n = model_->sliceCount();
  if (n <= 0) return -1;
  const QRectF r = plotRect();
  double t = std::clamp((x - r.left()) / r.width(), 0.0, 1.0);
  if (highIndexAtLeft_) t = 1.0 - t;
  return std::clamp(static_cast<int>(std::lround(t * (n - 1))), 0, n - 1);
}

void ScoreCurve::paintEvent(QPaintEvent*) {
  const qreal dpr = devicePixelRatioF();
  const QSize pixels = (QSizeF(size()) * dpr).toSize();
  if (cacheDirty_ || cache_.size() != pixels) {
    cache_ = QPixmap(pixels);
    cache_.setDevicePixelRatio(dpr);
    QPainter c(&cache_);
    c.setFont(font());
    paintCurves(c);
    cacheDirty_ = false;
  }
  QPainter p(this);
  p.drawPixmap(0, 0, cache_);
  // The current slice.
  const int current = model_->currentSlice(), n = model_->sliceCount();
  if (current >= 0 && current < n) {
    const QRectF r = plotRect();
    p.setPen(QPen(QColor(235, 235, 235), 1.5));
    p.drawLine(QPointF(xOf(current), r.top()), QPointF(xOf(current), r.bottom()));
  }
}

void ScoreCurve::paintCurves(QPainter& p) {
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), QColor(22, 24, 28));
  const QRectF r = plotRect();
  const QColor grid(70, 74, 82), text(175, 178, 185);
  p.setPen(grid);
  p.drawRect(r);
  auto yOf = [&](double prob) { return r.bottom() - prob * r.height(); };
  p.setPen(text);
  for (double v : {0.0, 0.5, 1.0}) {
    p.drawText(QRectF(0, yOf(v) - 8, r.left() - 4, 16), Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'f', 1));
  }
  const int n = model_->sliceCount();
  if (n == 0) {
    p.drawText(r, Qt::AlignCenter, model_->hasSeries() ? tr("No slices") : tr("No AI scores"));
    return;
  }
  // The head is always at the left (the slice order follows the viewer's head-to-feet direction).
  p.drawText(QRectF(r.left(), r.bottom() + 2, r.width(), 16), Qt::AlignLeft | Qt::AlignTop, tr("head"));
  p.drawText(QRectF(r.left(), r.bottom() + 2, r.width(), 16), Qt::AlignRight | Qt::AlignTop, tr("feet"));
  p.drawText(QRectF(r.left(), r.bottom() + 2, r.width(), 16), Qt::AlignHCenter | Qt::AlignTop,
             tr("%1 of %2 slices scored").arg(model_->scoredCount()).arg(n));

  paintLung(p, r);

  // Covid threshold, dashed.
  const int covid = model_->covidIndex();
  if (covid >= 0) {
    QPen dashed(QColor(255, 96, 64, 140), 1, Qt::DashLine);
    p.setPen(dashed);
    p.drawLine(QPointF(r.left(), yOf(model_->verdictThreshold())), QPointF(r.right(), yOf(model_->verdictThreshold())));
  }
  // Suspicious slices: ticks along the bottom edge.
  p.setPen(QPen(QColor(255, 96, 64, 200), 1));
  for (int z = 0; z < n; ++z)
    if (model_->suspicious(z)) p.drawLine(QPointF(xOf(z), r.bottom() - 4), QPointF(xOf(z), r.bottom()));

  // One polyline per class, broken where slices are not scored; normal drawn first (behind).
  const auto& classes = model_->facts().classes;
  for (int k = static_cast<int>(classes.size()) - 1; k >= 0; --k) {
    const auto points = model_->curve(k);
    QPainterPath path;
    int previous = -2;
    for (const CurvePoint& pt : points) {
      const QPointF q(xOf(pt.slice), yOf(pt.probability));
      if (pt.slice != previous + 1) {
        path.moveTo(q);
        path.lineTo(q + QPointF(0.01, 0));  // a lone scored slice still shows as a dot
      } else {
        path.lineTo(q);
      }
      previous = pt.slice;
    }
    QColor c = paint::classColour(classes[static_cast<std::size_t>(k)]);
    p.setPen(QPen(c, classes[static_cast<std::size_t>(k)] == "covid" ? 2.0 : 1.4, Qt::SolidLine, Qt::RoundCap,
                  Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
  }
}

void ScoreCurve::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  const int z = sliceAt(event->position().x());
  if (z >= 0) emit sliceRequested(z);
}

void ScoreCurve::mouseMoveEvent(QMouseEvent* event) {
  if (!(event->buttons() & Qt::LeftButton)) return;
  const int z = sliceAt(event->position().x());
  if (z >= 0) emit sliceRequested(z);
}

}  // namespace lunglens::ui::ai
