#include "core/io/png.h"

#include <QBuffer>
#include <QImage>
#include <cstring>

#include "core/common/error.h"
#include "core/common/paths.h"

namespace lunglens::core::io {

namespace {
// Encodes in memory, then writes beside the target and renames, so a failed write leaves no partial file.
void save(const QImage& img, const std::filesystem::path& path) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  if (!img.save(&buffer, "PNG")) throw InputError(path.string(), "PNG encoding failed");
  writeFileAtomically(path, bytes.toStdString(), true);
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
