// SHA-256 through Qt Core's QCryptographicHash: a well-kept implementation rather than one of our own.
#include "core/common/sha256.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QString>

#include "core/common/error.h"

namespace lunglens::core {

std::string sha256Hex(const std::string& bytes) {
  const QByteArray digest = QCryptographicHash::hash(
      QByteArray::fromRawData(bytes.data(), static_cast<qsizetype>(bytes.size())), QCryptographicHash::Sha256);
  return digest.toHex().toStdString();
}

std::string sha256File(const std::filesystem::path& file) {
  QFile in(QString::fromStdString(file.string()));
  if (!in.open(QIODevice::ReadOnly)) throw InputError(file.string(), "cannot read the file to check its sha256");
  QCryptographicHash hash(QCryptographicHash::Sha256);
  if (!hash.addData(&in)) throw InputError(file.string(), "read error while computing its sha256");
  return hash.result().toHex().toStdString();
}

}  // namespace lunglens::core
