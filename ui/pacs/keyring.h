#pragma once
// DICOMweb passwords in the desktop keyring (Debian's qtkeychain for Qt6: Secret Service / KWallet), keyed by node
// name and user. qtkeychain's insecure plain-file fallback is switched off: when no keyring backend answers, the
// caller asks for the password each time and keeps it only in memory while its dialog is open.
#include <QObject>
#include <QString>
#include <functional>

namespace lunglens::ui::pacs {

class Keyring : public QObject {
  Q_OBJECT
 public:
  explicit Keyring(QObject* parent = nullptr);
  static QString keyFor(const QString& node, const QString& user) { return node + "/" + user; }

  enum class Outcome { Found, NotFound, NoKeyring };
  // Asynchronous; `done` runs on this object's thread. The password is empty unless Found.
  void read(const QString& key, std::function<void(Outcome, QString password)> done);
  // Stores (or, with an empty password, removes) the entry; `done(stored)` is false when no keyring is there.
  void write(const QString& key, const QString& password, std::function<void(bool stored)> done = {});
  // False once a keyring call found no backend (so the UI says passwords are not remembered).
  bool available() const { return available_; }

 private:
  bool available_ = true;
};

}  // namespace lunglens::ui::pacs
