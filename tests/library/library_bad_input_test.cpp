// The case library on files that are not what they should be (issue 18): another program's SQLite database, a
// library with damaged pages, a library on read-only media. Each is a clear InputError or, for read-only media,
// a library that can still be queried.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QSqlDatabase>
#include <QSqlQuery>

#include <fstream>

#include "core/common/error.h"
#include "core/library/case_library.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
using namespace lunglens::core::library;

namespace {

std::string errorOpening(const fs::path& file) {
  try {
    CaseLibrary library(file);
    library.studies();
  } catch (const lunglens::core::InputError& e) {
    return e.what();
  }
  return "";
}

// A library holding one 12-slice phantom study.
fs::path libraryWithOneStudy(const fs::path& dir) {
  const auto study = lunglens::test::writeSmallPhantom(dir / "study", 21, ph::Diagnosis::Covid, {ph::Finding::Ggo});
  const fs::path file = dir / "library.sqlite";
  CaseLibrary library(file);
  library.writeStudy(lunglens::test::recordFromTruth(study));
  return file;
}

}  // namespace

TEST(LibraryBadInput, AnotherProgramsDatabaseIsNotALibrary) {
  const fs::path file = lunglens::test::scratchDir("foreign") / "places.sqlite";
  {
    QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "foreign");
    db.setDatabaseName(QString::fromStdString(file.string()));
    ASSERT_TRUE(db.open());
    QSqlQuery(db).exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)");
    QSqlQuery(db).exec("INSERT INTO moz_places (url) VALUES ('https://example.org')");
    db.close();
  }
  QSqlDatabase::removeDatabase("foreign");
  const std::string why = errorOpening(file);
  EXPECT_NE(why.find("not a LungLens case library"), std::string::npos) << why;
  EXPECT_NE(why.find("moz_places"), std::string::npos) << why;
}

TEST(LibraryBadInput, DamagedPagesAreFoundOnOpen) {
  const fs::path file = libraryWithOneStudy(lunglens::test::scratchDir("damaged"));
  const auto size = fs::file_size(file);
  ASSERT_GT(size, 8u * 4096u);
  {
    // Overwrite pages 3 to 5 (page 1 holds the header; the damage is in the tables' pages).
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * 4096);
    const std::string junk(3 * 4096, '\xa5');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string why = errorOpening(file);
  EXPECT_NE(why.find("the case library is damaged"), std::string::npos) << why;
}

TEST(LibraryBadInput, ALibraryOnReadOnlyMediaCanBeQueried) {
  const fs::path dir = lunglens::test::scratchDir("readonly");
  const fs::path file = libraryWithOneStudy(dir);
  ASSERT_FALSE(fs::exists(fs::path(file.string() + "-wal")) && fs::file_size(fs::path(file.string() + "-wal")) > 0);
  fs::remove(fs::path(file.string() + "-wal"));
  fs::remove(fs::path(file.string() + "-shm"));
  // Read-only for everyone but root, and the test runs as a user without rights to write (root may write anything):
  // a child process drops to "nobody" when it can.
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                           fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(file, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (geteuid() == 0 && setuid(65534) != 0) _exit(10);
    try {
      CaseLibrary library(file);
      const auto studies = library.studies();
      QueryFilter all;
      const auto rows = library.query(all);
      _exit(studies.size() == 1 && rows.size() == 12 ? 0 : 11);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "read-only library: %s\n", e.what());
      _exit(12);
    }
  }
  int status = 0;
  waitpid(child, &status, 0);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add);
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "10: cannot drop rights, 11: wrong rows, 12: the library did not open";
}

TEST(LibraryBadInput, CheckKeepsStudiesInFoldersNamedInLatin1) {
  // A folder named in Latin-1 ("Müller" as the byte 0xfc): its path is not UTF-8. Stored through a QString it came
  // back with U+FFFD for the byte, named no file, and `check` marked the intact study as missing.
  const fs::path dir = lunglens::test::scratchDir("latin1") / "M\xfcller";
  const auto study = lunglens::test::writeSmallPhantom(dir / "study", 22, ph::Diagnosis::Normal);
  const fs::path file = dir.parent_path() / "library.sqlite";
  CaseLibrary library(file);
  library.writeStudy(lunglens::test::recordFromTruth(study));
  EXPECT_EQ(library.checkAvailability(), 0);
  ASSERT_EQ(library.studies().size(), 1u);
  EXPECT_FALSE(library.studies()[0].missing);
  EXPECT_EQ(library.studies()[0].root, lunglens::test::recordFromTruth(study).root);
  const auto rows = library.query(QueryFilter{});
  ASSERT_FALSE(rows.empty());
  for (const auto& row : rows) EXPECT_TRUE(fs::is_regular_file(row.file)) << row.file;
}
