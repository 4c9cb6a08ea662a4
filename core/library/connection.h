#pragma once
// One SQLite connection through Qt Sql. Qt SQL connections belong to the thread that opened them, so every thread
// that touches the library opens its own Connection (the importer's worker writes, the UI reads; WAL lets the
// readers go on while the writer commits). Pragmas on open: WAL, foreign keys, a busy timeout.
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>
#include <filesystem>
#include <initializer_list>
#include <string>

namespace lunglens::core::library {

class Connection {
 public:
  // Opens (creating if needed) the database file. Throws InputError naming the file when it cannot be opened or
  // is not a database.
  explicit Connection(const std::filesystem::path& file);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::filesystem::path& file() const { return file_; }
  // Opened read-only (the file or its folder cannot be written, e.g. a library on a DVD or a read-only share):
  // queries work, changes fail with SQLite's "attempt to write a readonly database".
  bool readOnly() const { return read_only_; }
  // Throws InputError naming the file unless SQLite's quick_check finds every page intact.
  void requireIntact();
  // Throws InputError with SQLite's reason if `query` stopped on an error rather than at its end.
  void requireComplete(QSqlQuery& query);
  QSqlDatabase& db() { return db_; }

  // Runs one statement with positional bindings; throws InputError with the statement's error on failure.
  QSqlQuery exec(const QString& sql, std::initializer_list<QVariant> bindings = {});
  // Runs several ';'-separated statements without bindings (schema scripts).
  void execScript(const QString& script);
  // The first column of the first row, or an invalid QVariant when there is no row.
  QVariant scalar(const QString& sql, std::initializer_list<QVariant> bindings = {});

 private:
  static bool onReadOnlyMedia(const std::filesystem::path& file);

  std::filesystem::path file_;
  bool read_only_ = false;
  QString name_;
  QSqlDatabase db_;
};

// File paths as stored: Linux paths are bytes, not always UTF-8 (a folder named in Latin-1 on an old CD). A QString
// would replace such bytes and the stored path would name no file, so `check` marked intact studies missing. Valid
// UTF-8 is stored as text (as always); any other path as a BLOB of its bytes. pathFromSql reads either.
QVariant pathToSql(const std::string& path);
std::string pathFromSql(const QVariant& value);

// BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called (an exception unwinds it).
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace lunglens::core::library
