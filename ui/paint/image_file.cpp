#include "ui/paint/image_file.h"

#include <QBuffer>
#include <QImageWriter>
#include <algorithm>
#include <cctype>

#include "core/common/disclaimer.h"
#include "core/common/error.h"
#include "core/common/paths.h"

namespace lunglens::ui::paint {

std::string imageFormatFor(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".png") return "png";
  if (ext == ".jpg" || ext == ".jpeg") return "jpg";
  throw core::InputError(file.string(), "unknown image type; use .png, .jpg or .jpeg");
}

std::string encodeImage(const QImage& image, const std::string& format, int jpegQuality) {
  if (image.isNull()) throw core::InputError("image export", "nothing to encode");
  // A copy without any text keys the source image may carry; only our two go in.
  QImage clean = image.convertToFormat(format == "jpg" ? QImage::Format_RGB888 : QImage::Format_RGB32);
  for (const QString& key : clean.textKeys()) clean.setText(key, QString());
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QImageWriter writer(&buffer, format == "jpg" ? "jpeg" : "png");
  if (format == "jpg") writer.setQuality(std::clamp(jpegQuality, 0, 100));
  writer.setText("Software", "LungLens");
  writer.setText("Disclaimer", QString::fromUtf8(core::kDisclaimer));
  if (!writer.write(clean)) {
    throw core::InputError("image export", "cannot encode the image: " + writer.errorString().toStdString());
  }
  return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

void writeImageFile(const QImage& image, const std::filesystem::path& file, bool overwrite, int jpegQuality) {
  const std::string format = imageFormatFor(file);
  core::writeFileAtomically(file, encodeImage(image, format, jpegQuality), overwrite);
}

core::exporting::RgbImage toRgbImage(const QImage& image) {
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  core::exporting::RgbImage out;
  out.width = rgb.width();
  out.height = rgb.height();
  out.rgb.resize(static_cast<std::size_t>(out.width) * out.height * 3);
  for (int y = 0; y < out.height; ++y) {
    std::copy_n(rgb.constScanLine(y), out.width * 3, out.rgb.data() + static_cast<std::size_t>(y) * out.width * 3);
  }
  return out;
}

}  // namespace lunglens::ui::paint
