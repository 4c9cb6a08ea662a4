#include "core/library/connection.h"

#include <QSqlError>
#include <QUrl>
#include <QUuid>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/common/error.h"

namespace lunglens::core::library {
namespace {

std::string errorText(const QSqlError& e) { return e.text().toStdString(); }

}  // namespace

Connection::Connection(const std::filesystem::path& file)
    : file_(file), name_("lunglens-library-" + QUuid::createUuid().toString(QUuid::WithoutBraces)) {
  if (!QSqlDatabase::isDriverAvailable("QSQLITE"))
    throw InputError(file.string(), "the Qt SQLite driver is not installed (Debian: libqt6sql6-sqlite)");
  if (file.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
  }
  read_only_ = onReadOnlyMedia(file);
  db_ = QSqlDatabase::addDatabase("QSQLITE", name_);
  if (read_only_) {
    // Read-only media: WAL needs its -shm file beside the database, which cannot be created there. Nobody can
    // change the file either, so SQLite may read it as immutable (no locks, no WAL).
    const QByteArray path = QUrl::toPercentEncoding(
        QString::fromStdString(std::filesystem::absolute(file).string()), "/");
    db_.setDatabaseName("file:" + QString::fromLatin1(path) + "?immutable=1");
    db_.setConnectOptions("QSQLITE_OPEN_URI;QSQLITE_OPEN_READONLY");
  } else {
    db_.setDatabaseName(QString::fromStdString(file.string()));
    // Wait for a writer instead of failing at once with "database is locked".
    db_.setConnectOptions("QSQLITE_BUSY_TIMEOUT=30000");
  }
  if (!db_.open()) {
    const std::string why = errorText(db_.lastError());
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(name_);
    throw InputError(file.string(), "cannot open the case library: " + why);
  }
  try {
    // A file that is not a database fails here (SQLite opens lazily).
    if (!read_only_) {
      const QString mode = scalar("PRAGMA journal_mode=WAL").toString();
      if (mode.toLower() != "wal") throw InputError(file.string(), "cannot switch the case library to WAL mode");
    }
    exec("PRAGMA foreign_keys=ON");
    // Durable enough with WAL (a committed study survives a killed process; only an OS crash may lose the last).
    if (!read_only_) exec("PRAGMA synchronous=NORMAL");
  } catch (...) {
    db_.close();
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(name_);
    throw;
  }
}

bool Connection::onReadOnlyMedia(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return false;  // created here: the folder must be writable anyway
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  struct statvfs fs {};
  if (::statvfs(folder.c_str(), &fs) == 0 && (fs.f_flag & ST_RDONLY)) return true;  // a DVD, a read-only mount
  return ::access(file.c_str(), W_OK) != 0 || ::access(folder.c_str(), W_OK) != 0;
}

void Connection::requireIntact() {
  // quick_check reads every page (O(size), milliseconds for a library of a few thousand slices) and finds the
  // damage that otherwise surfaces as rows silently missing from a query.
  QSqlQuery q(db_);
  if (!q.exec("PRAGMA quick_check(1)"))
    throw InputError(file_.string(), "the case library is damaged: " + errorText(q.lastError()));
  const QString result = q.next() ? q.value(0).toString() : QString("no answer");
  if (result != "ok")
    throw InputError(file_.string(), "the case library is damaged (SQLite: " + result.toStdString() +
                                         "); restore it from a backup, or move it away to start a new one");
}

void Connection::requireComplete(QSqlQuery& query) {
  // QSqlQuery::next() answers false both at the end and on an error (a damaged page): tell them apart.
  if (query.lastError().isValid())
    throw InputError(file_.string(), "reading the case library failed: " + errorText(query.lastError()));
}

Connection::~Connection() {
  db_.close();
  db_ = QSqlDatabase();  // the last handle must be gone before removeDatabase
  QSqlDatabase::removeDatabase(name_);
}

QSqlQuery Connection::exec(const QString& sql, std::initializer_list<QVariant> bindings) {
  QSqlQuery q(db_);
  if (!q.prepare(sql)) throw InputError(file_.string(), "SQL: " + errorText(q.lastError()) + " in: " + sql.toStdString());
  for (const QVariant& v : bindings) q.addBindValue(v);
  if (!q.exec()) throw InputError(file_.string(), "SQL: " + errorText(q.lastError()) + " in: " + sql.toStdString());
  return q;
}

void Connection::execScript(const QString& script) {
  for (const QString& part : script.split(';', Qt::SkipEmptyParts)) {
    if (part.trimmed().isEmpty()) continue;
    QSqlQuery q(db_);
    if (!q.exec(part))
      throw InputError(file_.string(), "SQL: " + errorText(q.lastError()) + " in: " + part.toStdString());
  }
}

QVariant Connection::scalar(const QString& sql, std::initializer_list<QVariant> bindings) {
  QSqlQuery q = exec(sql, bindings);
  return q.next() ? q.value(0) : QVariant();
}

QVariant pathToSql(const std::string& path) {
  const QByteArray bytes = QByteArray::fromStdString(path);
  const QString text = QString::fromUtf8(bytes);
  if (text.toUtf8() == bytes) return text;
  return bytes;  // bound as a BLOB: every byte kept
}

std::string pathFromSql(const QVariant& value) { return value.toByteArray().toStdString(); }

Transaction::Transaction(Connection& connection) : connection_(connection) {
  // IMMEDIATE: take the write lock now, so two writers queue up instead of failing to upgrade a read lock.
  connection_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (done_) return;
  try {
    connection_.exec("ROLLBACK");
  } catch (...) {
    // Nothing more to do: SQLite rolls back an unfinished transaction when the connection closes.
  }
}

void Transaction::commit() {
  connection_.exec("COMMIT");
  done_ = true;
}

}  // namespace lunglens::core::library
