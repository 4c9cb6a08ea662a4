#include "ui/paint/scores_box.h"

#include <QFont>
#include <QFontMetricsF>
#include <algorithm>
#include <cmath>

#include "core/common/number_format.h"
#include "core/export/lung_report.h"

namespace lunglens::ui::paint {
namespace {

QFont boxFont(double scale, bool bold = false) {
  QFont f("DejaVu Sans");
  f.setPixelSize(std::max(8, static_cast<int>(std::lround(12 * scale))));
  f.setBold(bold);
  return f;
}

// Text lines under the bars: warning, verdict, lung analysis, model, training data.
std::vector<QString> footerLines(const ScoresBox& box) {
  std::vector<QString> lines;
  if (!box.warning.empty()) lines.push_back(QString::fromStdString(box.warning));
  if (!box.verdict.empty()) lines.push_back(QString::fromStdString(box.verdict));
  if (!box.lung.empty()) lines.push_back(QString::fromStdString(box.lung));
  QString model = "Model: " + QString::fromStdString(box.model_name.empty() ? "unknown" : box.model_name);
  if (!box.model_version.empty()) model += " v" + QString::fromStdString(box.model_version);
  lines.push_back(model);
  if (box.trained_on_synthetic) lines.push_back("Trained on synthetic phantoms");
  return lines;
}

// `text` broken at spaces into lines no wider than `width` (greedy); a word wider than a line on its own is elided.
std::vector<QString> wrapped(const QString& text, const QFontMetricsF& metrics, double width) {
  std::vector<QString> out;
  QString current;
  for (const QString& word : text.split(' ', Qt::SkipEmptyParts)) {
    const QString candidate = current.isEmpty() ? word : current + ' ' + word;
    if (metrics.horizontalAdvance(candidate) <= width || current.isEmpty()) {
      current = candidate;
    } else {
      out.push_back(current);
      current = word;
    }
  }
  if (!current.isEmpty() || out.empty()) out.push_back(current);
  for (QString& line : out) line = metrics.elidedText(line, Qt::ElideRight, width);
  return out;
}

struct FooterLine {
  QString text;
  QColor colour;
};

std::vector<FooterLine> footer(const ScoresBox& box, double width, double scale) {
  const QFontMetricsF metrics(boxFont(scale));
  const double inner = width - 16 * scale;
  std::vector<FooterLine> out;
  for (const QString& text : footerLines(box)) {
    const bool warning = !box.warning.empty() && text == QString::fromStdString(box.warning);
    const bool lungLine = !box.lung.empty() && text == QString::fromStdString(box.lung);
    const QColor colour = warning ? QColor(255, 190, 60) : lungLine ? QColor(120, 220, 160) : QColor(200, 200, 200);
    for (const QString& line : wrapped(text, metrics, inner)) out.push_back({line, colour});
  }
  return out;
}

}  // namespace

std::vector<QString> scoresBoxFooter(const ScoresBox& box, double width, double scale) {
  std::vector<QString> out;
  for (const auto& line : footer(box, width, scale)) out.push_back(line.text);
  return out;
}

bool applyOodState(ScoresBox& box, bool out_of_distribution, bool withheld) {
  if (withheld) box.warning = core::inference::oodWithheldShort();
  else if (out_of_distribution) box.warning = core::inference::oodShownAnywayShort();
  return !withheld;
}

std::optional<ScoresBox> scoresBoxFor(const core::exporting::AiResults& r, int slice,
                                      const core::lung::LungAnalysis* lung) {
  const auto* scores = r.slice(slice);
  if (!scores || scores->probabilities.size() != r.classes.size()) return std::nullopt;
  ScoresBox box;
  if (lung) box.lung = core::exporting::lungSummaryLine(*lung);
  box.model_name = r.model.name;
  box.model_version = r.model.version;
  box.trained_on_synthetic = r.model.trained_on_synthetic;
  if (!applyOodState(box, r.ood.out_of_distribution, r.withheld())) return box;
  for (std::size_t i = 0; i < r.classes.size(); ++i) {
    box.classes.push_back({core::exporting::displayClassName(r.classes[i]), scores->probabilities[i]});
  }
  if (scores->manifestation.size() == r.manifestation_classes.size()) {
    for (std::size_t i = 0; i < r.manifestation_classes.size(); ++i) {
      box.manifestations.push_back(
          {core::exporting::displayClassName(r.manifestation_classes[i]), scores->manifestation[i]});
    }
  }
  if (!r.verdict.class_name.empty()) {
    box.verdict = "Study: " + core::exporting::displayClassName(r.verdict.class_name);
  }
  return box;
}

double scoresBoxHeight(const ScoresBox& box, double width, double scale) {
  const double line = QFontMetricsF(boxFont(scale)).lineSpacing();
  const double pad = 8 * scale;
  double h = pad + line * 1.3;  // title
  h += box.classes.size() * line * 1.5;
  if (!box.manifestations.empty()) h += line * 1.3 + box.manifestations.size() * line * 1.5;
  h += footer(box, width, scale).size() * line + pad;
  return h;
}

double paintScoresBox(QPainter& p, const ScoresBox& box, QPointF topLeft, double width, double scale) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  const double height = scoresBoxHeight(box, width, scale);
  const double pad = 8 * scale;
  p.setPen(QPen(QColor(90, 90, 90), 1));
  p.setBrush(QColor(28, 28, 32));
  p.drawRoundedRect(QRectF(topLeft, QSizeF(width, height)), 4 * scale, 4 * scale);

  const QFont font = boxFont(scale), bold = boxFont(scale, true);
  const double line = QFontMetricsF(font).lineSpacing();
  double y = topLeft.y() + pad;
  const double x = topLeft.x() + pad, inner = width - 2 * pad;
  p.setFont(bold);
  p.setPen(Qt::white);
  p.drawText(QRectF(x, y, inner, line), Qt::AlignLeft | Qt::AlignVCenter, QString::fromStdString(box.title));
  y += line * 1.3;

  auto bars = [&](const std::vector<ScoreLine>& lines, const QColor& colour) {
    for (const auto& s : lines) {
      p.setFont(font);
      p.setPen(QColor(230, 230, 230));
      p.drawText(QRectF(x, y, inner * 0.8, line), Qt::AlignLeft | Qt::AlignVCenter,
                 QFontMetricsF(font).elidedText(QString::fromStdString(s.name), Qt::ElideRight, inner * 0.8));
      p.drawText(QRectF(x, y, inner, line), Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString(core::percent(s.probability)));
      const QRectF track(x, y + line * 1.02, inner, std::max(2.0, line * 0.3));
      p.setPen(Qt::NoPen);
      p.setBrush(QColor(70, 70, 75));
      p.drawRect(track);
      p.setBrush(colour);
      p.drawRect(QRectF(track.topLeft(), QSizeF(track.width() * std::clamp(s.probability, 0.0, 1.0), track.height())));
      y += line * 1.5;
    }
  };
  bars(box.classes, QColor(255, 170, 0));
  if (!box.manifestations.empty()) {
    p.setFont(bold);
    p.setPen(Qt::white);
    p.drawText(QRectF(x, y, inner, line), Qt::AlignLeft | Qt::AlignVCenter, "Manifestation");
    y += line * 1.3;
    bars(box.manifestations, QColor(0, 190, 255));
  }
  p.setFont(font);
  for (const FooterLine& text : footer(box, width, scale)) {
    p.setPen(text.colour);
    p.drawText(QRectF(x, y, inner, line), Qt::AlignLeft | Qt::AlignVCenter, text.text);
    y += line;
  }
  p.restore();
  return height;
}

}  // namespace lunglens::ui::paint
