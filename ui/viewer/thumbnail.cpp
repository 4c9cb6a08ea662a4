#include "ui/viewer/thumbnail.h"

#include <QPainter>
#include <algorithm>

#include "ui/viewer/display_layout.h"

namespace lunglens::ui::viewer {

QImage makeThumbnail(const core::volume::Volume& volume, int z, const core::volume::Window& window, int size) {
  if (!volume.sliceReady(z) || size <= 0) return {};
  const DisplayLayout layout(volume.geometry());
  const int cols = layout.cols(), rows = layout.rows();
  const auto grey = core::volume::windowSlice(volume.slice(z), static_cast<std::size_t>(cols) * rows, window);
  QImage slice(cols, rows, QImage::Format_Grayscale8);
  for (int r = 0; r < rows; ++r) {
    uchar* line = slice.scanLine(r);
    for (int c = 0; c < cols; ++c) {
      const VoxelXY v = layout.displayedToVoxel(c, r);
      line[c] = grey[static_cast<std::size_t>(v.y) * cols + v.x];
    }
  }
  // Fit the slice's physical extent (mm), not its pixel grid, into the square.
  const double scale = std::min(size / layout.width_mm(), size / layout.height_mm());
  const int w = std::max(1, static_cast<int>(layout.width_mm() * scale + 0.5));
  const int h = std::max(1, static_cast<int>(layout.height_mm() * scale + 0.5));
  QImage out(size, size, QImage::Format_RGB32);
  out.fill(Qt::black);
  QPainter painter(&out);
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  painter.drawImage(QRect((size - w) / 2, (size - h) / 2, w, h), slice);
  return out;
}

}  // namespace lunglens::ui::viewer
