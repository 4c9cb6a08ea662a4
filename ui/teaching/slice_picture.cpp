#include "ui/teaching/slice_picture.h"

#include <QPainter>

#include "core/dicom/display_orientation.h"
#include "core/library/gradcam_summary.h"
#include "core/volume/window.h"
#include "ui/paint/heatmap_layer.h"

namespace lunglens::ui::teaching {

namespace lib = core::library;

QImage slicePicture(const lib::SliceImage& slice) { return slicePicture(slice, core::volume::lungWindow()); }

QImage slicePicture(const lib::SliceImage& slice, const core::volume::Window& window) {
  const int cols = slice.geometry.cols, rows = slice.geometry.rows;
  std::vector<std::uint8_t> grey = core::volume::windowSlice(slice.hu.data(), slice.hu.size(), window);
  core::dicom::applyFlip(grey, rows, cols, core::dicom::radiologicalFlip(slice.header.orientation));
  QImage image(cols, rows, QImage::Format_Grayscale8);
  for (int y = 0; y < rows; ++y)
    std::copy_n(grey.data() + static_cast<std::size_t>(y) * cols, cols, image.scanLine(y));
  return image;
}

QImage withHeatmap(const QImage& picture, const lib::SliceImage& slice, const lib::QueryRow& row) {
  if (!row.gradcam || row.gradcam->grid.empty()) return picture;
  const core::inference::HeatmapGrid grid{row.gradcam->grid_width, row.gradcam->grid_height, row.gradcam->grid};
  const int cols = slice.geometry.cols, rows = slice.geometry.rows;
  const auto flip = core::dicom::radiologicalFlip(slice.header.orientation);
  // Inside the lungs where the import kept the slice's lung mask, as the viewer draws it.
  const auto clip = lib::storedHeatmapClip(*row.gradcam, cols, rows);
  const QImage layer = clip ? paint::heatmapLayer(grid, *clip, cols, rows, flip)
                            : paint::heatmapLayer(grid, slice.hu.data(), cols, rows, flip);
  QImage out = picture.convertToFormat(QImage::Format_RGB32);
  QPainter painter(&out);
  painter.drawImage(out.rect(), layer);
  return out;
}

QImage galleryThumbnail(const lib::QueryRow& row, int size, bool heatmap) {
  const lib::SliceImage slice = lib::loadSliceImage(row);
  QImage picture = slicePicture(slice);
  if (heatmap) picture = withHeatmap(picture, slice, row);
  // Non-square pixels: draw at physical proportions.
  const double w_mm = slice.geometry.cols * slice.geometry.spacing_mm[0];
  const double h_mm = slice.geometry.rows * slice.geometry.spacing_mm[1];
  QImage out(size, size, QImage::Format_RGB32);
  out.fill(QColor(12, 12, 12));
  QPainter painter(&out);
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  const double scale = size / std::max(w_mm, h_mm);
  const QRectF target((size - w_mm * scale) / 2, (size - h_mm * scale) / 2, w_mm * scale, h_mm * scale);
  painter.drawImage(target, picture);
  return out;
}

}  // namespace lunglens::ui::teaching
