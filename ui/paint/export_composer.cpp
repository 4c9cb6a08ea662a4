#include "ui/paint/export_composer.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/common/disclaimer.h"
#include "core/common/error.h"
#include "core/common/number_format.h"
#include "core/dicom/display_orientation.h"
#include "core/dicom/image_number.h"
#include "core/volume/window.h"
#include "ui/paint/annotation_painter.h"
#include "ui/paint/halo_text.h"
#include "ui/paint/heatmap_layer.h"

namespace lunglens::ui::paint {
namespace {

// Layout in units of a 512-pixel-high slice; everything but the slice scales with text_scale.
constexpr double kBase = 512.0, kPanel = 232.0, kFooter = 40.0, kMinTextScale = 0.8;

std::string date(const std::string& da) {
  return da.size() == 8 ? da.substr(0, 4) + "-" + da.substr(4, 2) + "-" + da.substr(6, 2) : da;
}

std::string personName(std::string pn) {
  std::replace(pn.begin(), pn.end(), '^', ' ');
  while (!pn.empty() && pn.back() == ' ') pn.pop_back();
  return pn;
}

core::dicom::DisplayFlip flipOf(const core::volume::Geometry& g) {
  return core::dicom::radiologicalFlip({g.row_dir[0], g.row_dir[1], g.row_dir[2], g.col_dir[0], g.col_dir[1], g.col_dir[2]});
}

std::string letter(const core::volume::Vec3& d) {
  const double ax = std::abs(d[0]), ay = std::abs(d[1]), az = std::abs(d[2]);
  if (ax >= ay && ax >= az) return d[0] > 0 ? "L" : "R";
  if (ay >= az) return d[1] > 0 ? "P" : "A";
  return d[2] > 0 ? "S" : "I";
}

core::volume::Vec3 scaled(const core::volume::Vec3& v, double s) { return {v[0] * s, v[1] * s, v[2] * s}; }

QFont font(double scale, int basePx, bool bold = false) {
  QFont f("DejaVu Sans");
  f.setPixelSize(std::max(8, static_cast<int>(std::lround(basePx * scale))));
  f.setBold(bold);
  return f;
}

QImage windowedSlice(const ExportView& v, core::dicom::DisplayFlip flip) {
  const auto& g = v.geometry;
  std::vector<std::uint8_t> grey = core::volume::windowSlice(v.hu, g.voxelsPerSlice(), v.window);
  core::dicom::applyFlip(grey, g.rows, g.cols, flip);
  QImage image(g.cols, g.rows, QImage::Format_Grayscale8);
  for (int r = 0; r < g.rows; ++r) {
    std::copy_n(grey.data() + static_cast<std::size_t>(r) * g.cols, g.cols, image.scanLine(r));
  }
  return image;
}

void paintColourBar(QPainter& p, const QRectF& bar, double titleWidth, const QString& title, const QString& low,
                    const QString& high, const QLinearGradient& gradient, double ts) {
  p.setFont(font(ts, 11, true));
  p.setPen(Qt::white);
  p.drawText(QRectF(bar.left(), bar.top() - 26 * ts, titleWidth, 18 * ts), Qt::AlignLeft | Qt::AlignBottom, title);
  p.setPen(QPen(QColor(120, 120, 120), 1));
  p.setBrush(gradient);
  p.drawRect(bar);
  p.setFont(font(ts, 10));
  p.setPen(QColor(220, 220, 220));
  const QRectF labels(bar.right() + 6 * ts, bar.top() - 2 * ts, 120 * ts, bar.height() + 4 * ts);
  p.drawText(labels, Qt::AlignLeft | Qt::AlignTop, high);
  p.drawText(labels, Qt::AlignLeft | Qt::AlignBottom, low);
}

}  // namespace

ExportLayout exportLayout(const ExportView& v, const ExportSize& size) {
  const auto& g = v.geometry;
  if (!v.hu || g.cols <= 0 || g.rows <= 0) throw core::InputError("export", "no slice to draw");
  const double cs = g.spacing_mm[0], rs = g.spacing_mm[1];
  if (!(cs > 0) || !(rs > 0)) throw core::InputError("export", "the slice has no valid pixel spacing");
  // Native size: one pixel per voxel along the finer axis, so non-square voxels keep their true shape.
  const double finer = std::min(cs, rs);
  const double width_mm = g.cols * cs, height_mm = g.rows * rs;
  const QRectF region = v.region_mm.value_or(QRectF(0, 0, width_mm, height_mm));
  if (!(region.width() > 0) || !(region.height() > 0) || !std::isfinite(region.left()) ||
      !std::isfinite(region.top()) || !std::isfinite(region.width()) || !std::isfinite(region.height())) {
    throw core::InputError("export", "the region to show is empty");
  }
  const double nativeW = region.width() / finer, nativeH = region.height() / finer;
  ExportLayout L;
  double sliceW, sliceH;
  if (size.width > 0 && size.height > 0) {
    const double aspect = nativeW / nativeH;
    const double f = std::min(size.width / (aspect * kBase + kPanel), size.height / (kBase + kFooter));
    sliceH = kBase * f, sliceW = aspect * sliceH;
    L.text_scale = f;
    L.canvas = QSize(size.width, size.height);
  } else {
    if (!(size.scale > 0) || size.scale > 16) throw core::InputError("export", "scale must be in (0, 16]");
    sliceW = nativeW * size.scale, sliceH = nativeH * size.scale;
    L.text_scale = std::max(kMinTextScale, sliceH / kBase);
  }
  const double ts = L.text_scale;
  const double panelW = kPanel * ts, footerH = kFooter * ts;
  if (L.canvas.isEmpty()) {
    const double contentH = std::max(sliceH, v.scores ? scoresBoxHeight(*v.scores, panelW, ts) + 240 * ts : 0.0);
    L.canvas = QSize(static_cast<int>(std::ceil(sliceW + panelW)), static_cast<int>(std::ceil(contentH + footerH)));
  }
  if (L.canvas.width() > 16384 || L.canvas.height() > 16384) throw core::InputError("export", "image too large");
  // Centre the content (slice + panel above the footer) in the canvas.
  const double x0 = std::floor((L.canvas.width() - (sliceW + panelW)) / 2);
  const double contentH = L.canvas.height() - footerH;
  const double y0 = std::floor(std::max(0.0, (contentH - sliceH) / 2));
  L.slice = QRectF(x0, y0, sliceW, sliceH);
  const double ppmX = sliceW / region.width(), ppmY = sliceH / region.height();
  L.slice_full = QRectF(x0 - region.left() * ppmX, y0 - region.top() * ppmY, width_mm * ppmX, height_mm * ppmY);
  L.panel = QRectF(x0 + sliceW, 0, panelW, contentH);
  L.footer = QRectF(0, contentH, L.canvas.width(), footerH);
  L.patientText = QRectF(L.slice.left() + 2 * ts, L.slice.top() + 2 * ts, sliceW * 0.6, 140 * ts);
  return L;
}

std::string overlayTopLeft(const core::dicom::SeriesInfo& s, bool include_phi) {
  std::vector<std::string> lines;
  if (include_phi) {
    if (!s.patient_name.empty()) lines.push_back(personName(s.patient_name));
    if (!s.patient_id.empty()) lines.push_back("ID " + s.patient_id);
    std::string born = s.patient_birth_date.empty() ? "" : "Born " + date(s.patient_birth_date);
    if (!s.patient_sex.empty()) born += (born.empty() ? "" : "  ") + std::string("Sex ") + s.patient_sex;
    if (!born.empty()) lines.push_back(born);
    if (!s.study_date.empty()) lines.push_back("Study " + date(s.study_date));
    if (!s.accession_number.empty()) lines.push_back("Acc " + s.accession_number);
    if (!s.institution.empty()) lines.push_back(s.institution);
    // Descriptions are free text: they may name the patient (or give a quiz's answer away).
    if (!s.study_description.empty()) lines.push_back(s.study_description);
  }
  std::string series = "Series " + std::to_string(s.series_number);
  if (include_phi && !s.series_description.empty()) series += ": " + s.series_description;
  lines.push_back(series);
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string overlayTopRight(const ExportView& v) {
  // "Im": the DICOM image number where the series has them (core::dicom::imageNumber), the stack position beside.
  std::string out = "Im " + std::to_string(core::dicom::imageNumber(v.series, v.slice)) + "   (" +
                    std::to_string(v.slice + 1) + " / " + std::to_string(v.slice_count) + ")";
  out += "\nPos " + core::fixed(v.slice_position_mm, 1) + " mm";
  if (v.series.slice_thickness_mm > 0) out += "\nThk " + core::fixed(v.series.slice_thickness_mm, 1) + " mm";
  out += "\nW " + core::fixed(v.window.width, 0) + "  L " + core::fixed(v.window.level, 0);
  if (!v.window.name.empty()) out += " (" + v.window.name + ")";
  return out;
}

QImage composeExportImage(const ExportView& v, const ExportSize& size) {
  const ExportLayout L = exportLayout(v, size);
  const double ts = L.text_scale;
  const auto& g = v.geometry;
  const auto flip = flipOf(g);
  QImage canvas(L.canvas, QImage::Format_RGB32);
  canvas.fill(QColor(12, 12, 14));
  QPainter p(&canvas);
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);

  // The slice, then the heatmap over the same rectangle (both upsampled smoothly), then annotations.
  p.fillRect(L.slice, Qt::black);
  p.setClipRect(L.slice);
  p.drawImage(L.slice_full, windowedSlice(v, flip));
  if (v.heatmap) {
    p.drawImage(L.slice_full, v.heatmap_clip ? heatmapLayer(*v.heatmap, *v.heatmap_clip, g.cols, g.rows, flip)
                                             : heatmapLayer(*v.heatmap, v.hu, g.cols, g.rows, flip));
  }
  const SlicePlacement placement{L.slice_full, g.cols, g.rows, flip};
  const MeasuredSlice measured{v.hu, g.cols, g.rows, g.spacing_mm[0], g.spacing_mm[1]};
  AnnotationStyle style;
  style.scale = ts;
  paintAnnotations(p, v.annotations, placement, measured, style);

  // Overlay text and orientation letters.
  const QColor text(235, 235, 235);
  p.setFont(font(ts, 12));
  // Clipped to its block, so identity text can never spill over the rest of the image.
  p.save();
  p.setClipRect(L.patientText);
  paintHaloText(p, L.patientText.adjusted(4 * ts, 2 * ts, 0, 0), QString::fromStdString(overlayTopLeft(v.series, v.include_phi)), text);
  p.restore();
  const QRectF inner = L.slice.adjusted(6 * ts, 4 * ts, -6 * ts, -4 * ts);
  paintHaloText(p, inner, QString::fromStdString(overlayTopRight(v)), text, Qt::AlignRight | Qt::AlignTop);
  if (v.heatmap && !v.heatmap_label.empty()) {
    paintHaloText(p, inner, QString::fromStdString(v.heatmap_label), QColor(255, 200, 80),
                  Qt::AlignLeft | Qt::AlignBottom);
  }
  const double sx = flip.horizontal ? -1 : 1, sy = flip.vertical ? -1 : 1;
  const std::string right = letter(scaled(g.row_dir, sx)), down = letter(scaled(g.col_dir, sy));
  const std::string left = letter(scaled(g.row_dir, -sx)), up = letter(scaled(g.col_dir, -sy));
  p.setFont(font(ts, 15, true));
  const QColor letterColour(255, 230, 120);
  const QRectF mid(L.slice.left() + 6 * ts, L.slice.center().y() - 10 * ts, L.slice.width() - 12 * ts, 20 * ts);
  paintHaloText(p, mid, QString::fromStdString(left), letterColour, Qt::AlignLeft | Qt::AlignTop);
  paintHaloText(p, mid, QString::fromStdString(right), letterColour, Qt::AlignRight | Qt::AlignTop);
  const QRectF column(L.slice.center().x() - 20 * ts, L.slice.top() + 4 * ts, 40 * ts, L.slice.height() - 8 * ts);
  paintHaloText(p, column, QString::fromStdString(up), letterColour, Qt::AlignHCenter | Qt::AlignTop);
  paintHaloText(p, column, QString::fromStdString(down), letterColour, Qt::AlignHCenter | Qt::AlignBottom);
  p.setClipping(false);

  // Side panel: scores box, heatmap colour bar, window grey bar.
  const double pad = 12 * ts;
  double y = L.panel.top() + pad;
  const double panelInner = L.panel.width() - 2 * pad;
  p.setFont(font(ts, 13, true));
  p.setPen(QColor(170, 170, 175));
  p.drawText(QRectF(L.panel.left() + pad, y, panelInner, 20 * ts), Qt::AlignLeft | Qt::AlignVCenter, "LungLens");
  y += 26 * ts;
  if (v.scores) y += paintScoresBox(p, *v.scores, QPointF(L.panel.left() + pad, y), panelInner, ts) + pad;
  y += 20 * ts;
  const double barH = std::clamp(L.panel.bottom() - y - 30 * ts, 40 * ts, 150 * ts);
  double barX = L.panel.left() + pad;
  if (v.heatmap) {
    QLinearGradient heat(0, y + barH, 0, y);
    for (int i = 0; i <= 20; ++i) {
      const float value = kHeatmapFloor + (1.0f - kHeatmapFloor) * i / 20.0f;
      QColor c = heatmapColour(value);
      c.setAlpha(255);
      heat.setColorAt(i / 20.0, c);
    }
    paintColourBar(p, QRectF(barX, y, 16 * ts, barH), panelInner / 2 - 4 * ts, "AI attention", "low", "high", heat,
                   ts);
    barX += panelInner / 2;
  }
  QLinearGradient grey(0, y + barH, 0, y);
  grey.setColorAt(0, Qt::black);
  grey.setColorAt(1, Qt::white);
  paintColourBar(p, QRectF(barX, y, 16 * ts, barH), L.panel.right() - barX - 4 * ts, "Window (HU)",
                 QString::number(std::lround(v.window.level - v.window.width / 2)),
                 QString::number(std::lround(v.window.level + v.window.width / 2)), grey, ts);

  // Footer: the disclaimer, always; the model when AI content is shown.
  p.fillRect(L.footer, QColor(40, 28, 10));
  p.setFont(font(ts, 13, true));
  p.setPen(QColor(255, 200, 90));
  std::string footer = core::kDisclaimer;
  if (v.scores) {
    footer += "   |   " + (v.scores->model_name.empty() ? std::string("AI model") : v.scores->model_name);
    if (!v.scores->model_version.empty()) footer += " v" + v.scores->model_version;
    if (v.scores->trained_on_synthetic) footer += " (trained on synthetic phantoms)";
  }
  p.drawText(L.footer.adjusted(pad, 0, -pad, 0), Qt::AlignVCenter | Qt::AlignLeft,
             QFontMetricsF(p.font()).elidedText(QString::fromStdString(footer), Qt::ElideRight,
                                                L.footer.width() - 2 * pad));
  p.end();
  return canvas;
}

}  // namespace lunglens::ui::paint
