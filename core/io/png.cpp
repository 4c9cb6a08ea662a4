#include "core/io/png.h"

#include <QImage>
#include <QString>
#include <cstring>

#include "core/common/error.h"

namespace lunglens::core::io {

namespace {
void save(const QImage& img, const std::filesystem::path& path) {
  if (!img.save(QString::fromStdString(path.string()), "PNG"))
    throw InputError(path.string(), "cannot write the PNG file");
}
}  // namespace

void writeGreyPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& grey) {
  if (grey.size() != static_cast<std::size_t>(cols) * rows) throw InternalError("writeGreyPng: size mismatch");
  QImage img(cols, rows, QImage::Format_Grayscale8);
  for (int y = 0; y < rows; ++y) std::memcpy(img.scanLine(y), &grey[static_cast<std::size_t>(y) * cols], cols);
  save(img, path);
}

void writeRgbPng(const std::filesystem::path& path, int cols, int rows, const std::vector<std::uint8_t>& rgb) {
  if (rgb.size() != static_cast<std::size_t>(cols) * rows * 3) throw InternalError("writeRgbPng: size mismatch");
  QImage img(cols, rows, QImage::Format_RGB888);
  for (int y = 0; y < rows; ++y) std::memcpy(img.scanLine(y), &rgb[static_cast<std::size_t>(y) * cols * 3], cols * 3);
  save(img, path);
}

}  // namespace lunglens::core::io
