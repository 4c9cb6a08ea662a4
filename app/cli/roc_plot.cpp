#include "app/cli/roc_plot.h"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "app/cli/offscreen_gui.h"
#include "core/common/paths.h"
#include "core/metrics/roc.h"

namespace lunglens::cli {

using namespace core::metrics;

void writeRocPng(const ClassificationReport& report, const std::vector<Prediction>& cases, const std::string& title,
                 const std::filesystem::path& file) {
  ensureOffscreenGui();
  const int size = 720, margin = 80, plot = size - 2 * margin;
  QImage image(size, size, QImage::Format_RGB32);
  image.fill(Qt::white);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  auto toPx = [&](double fpr, double tpr) { return QPointF(margin + fpr * plot, margin + (1.0 - tpr) * plot); };

  p.setPen(QPen(QColor(220, 220, 220), 1));
  for (int i = 0; i <= 10; ++i) {
    p.drawLine(toPx(i / 10.0, 0), toPx(i / 10.0, 1));
    p.drawLine(toPx(0, i / 10.0), toPx(1, i / 10.0));
  }
  p.setPen(QPen(Qt::gray, 1, Qt::DashLine));
  p.drawLine(toPx(0, 0), toPx(1, 1));
  p.setPen(QPen(Qt::black, 1.5));
  p.drawRect(QRectF(toPx(0, 1), toPx(1, 0)));

  QFont font = p.font();
  font.setPixelSize(15);
  p.setFont(font);
  p.drawText(QRectF(0, 15, size, 30), Qt::AlignCenter, QString::fromStdString(title));
  p.drawText(QRectF(margin, size - margin + 30, plot, 25), Qt::AlignCenter, "1 − specificity (false positive rate)");
  p.save();
  p.translate(margin - 45, margin + plot / 2.0);
  p.rotate(-90);
  p.drawText(QRectF(-plot / 2.0, -12, plot, 25), Qt::AlignCenter, "sensitivity (true positive rate)");
  p.restore();
  font.setPixelSize(12);
  p.setFont(font);
  for (int i = 0; i <= 10; i += 2) {
    p.drawText(QRectF(toPx(i / 10.0, 0).x() - 20, margin + plot + 5, 40, 18), Qt::AlignCenter,
               QString::number(i / 10.0));
    p.drawText(QRectF(margin - 45, toPx(0, i / 10.0).y() - 9, 38, 18), Qt::AlignRight, QString::number(i / 10.0));
  }

  const QColor colours[] = {QColor(200, 40, 40), QColor(40, 110, 200), QColor(40, 150, 70), QColor(160, 80, 180)};
  int legendRow = 0;
  for (std::size_t k = 0; k < report.classes.size(); ++k) {
    std::vector<double> scores;
    std::vector<bool> positive;
    for (const auto& c : cases) {
      scores.push_back(c.probabilities[k]);
      positive.push_back(c.label == static_cast<int>(k));
    }
    const auto curve = rocCurve(scores, positive);
    const double auc = report.per_class[k].auc;
    if (std::isnan(auc)) continue;
    const bool bold = report.positive_vs_rest && report.positive_vs_rest->positive_class == report.classes[k];
    const QColor colour = colours[k % 4];
    QPainterPath path(toPx(curve.front().fpr, curve.front().tpr));
    for (const auto& pt : curve) path.lineTo(toPx(pt.fpr, pt.tpr));
    p.setPen(QPen(colour, bold ? 3.0 : 1.8));
    p.drawPath(path);
    const QPointF legend = toPx(0.45, 0.25 - 0.06 * legendRow++);
    p.drawLine(legend, legend + QPointF(30, 0));
    p.setPen(Qt::black);
    p.drawText(legend + QPointF(38, 5), QString("%1 vs rest  AUC %2")
                                           .arg(QString::fromStdString(report.classes[k]))
                                           .arg(auc, 0, 'f', 3));
  }
  p.end();

  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  core::writeFileAtomically(file, bytes.toStdString(), true);
}

}  // namespace lunglens::cli
