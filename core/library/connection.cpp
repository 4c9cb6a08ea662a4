#include "core/library/connection.h"

#include <QSqlError>
#include <QUuid>

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
  db_ = QSqlDatabase::addDatabase("QSQLITE", name_);
  db_.setDatabaseName(QString::fromStdString(file.string()));
  // Wait for a writer instead of failing at once with "database is locked".
  db_.setConnectOptions("QSQLITE_BUSY_TIMEOUT=30000");
  if (!db_.open()) {
    const std::string why = errorText(db_.lastError());
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(name_);
    throw InputError(file.string(), "cannot open the case library: " + why);
  }
  try {
    // A file that is not a database fails here (SQLite opens lazily).
    const QString mode = scalar("PRAGMA journal_mode=WAL").toString();
    if (mode.toLower() != "wal") throw InputError(file.string(), "cannot switch the case library to WAL mode");
    exec("PRAGMA foreign_keys=ON");
    // Durable enough with WAL (a committed study survives a killed process; only an OS crash may lose the last).
    exec("PRAGMA synchronous=NORMAL");
  } catch (...) {
    db_.close();
    db_ = QSqlDatabase();
    QSqlDatabase::removeDatabase(name_);
    throw;
  }
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
