// lunglens-cli library end to end on 20 small phantom studies with a tiny model: an import killed with SIGKILL at
// a random point leaves an intact file in which every study reported as imported is complete and no study is
// partial; the import then finishes without duplicates; queries and the anonymized teaching-set export.
#include <gtest/gtest.h>

#include <QImage>
#include <QSqlQuery>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/library/case_library.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace fs = std::filesystem;
namespace ph = lunglens::core::phantom;
using namespace lunglens::core::library;
using json = nlohmann::json;

namespace {

constexpr int kStudies = 20;

struct Fixture {
  fs::path studies, bundles;
  std::vector<lunglens::test::PhantomStudy> phantoms;
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto* out = new Fixture;
    out->studies = lunglens::test::scratchDir("library-cli-studies");
    out->bundles = lunglens::test::scratchDir("library-cli-bundles");
    lunglens::test::writeTinyBundles(out->bundles);
    for (int i = 0; i < kStudies; ++i) {
      const ph::Diagnosis dx = i % 3 == 0 ? ph::Diagnosis::Normal : ph::Diagnosis::Covid;
      std::vector<ph::Finding> findings;
      if (dx == ph::Diagnosis::Covid) findings = {i % 3 == 1 ? ph::Finding::Ggo : ph::Finding::Consolidation};
      char name[32];
      std::snprintf(name, sizeof name, "study%02d", i);
      out->phantoms.push_back(
          lunglens::test::writeSmallPhantom(out->studies / name, 500 + static_cast<unsigned>(i), dx, findings));
    }
    return out;
  }();
  return *f;
}

std::vector<std::string> importArgs(const fs::path& db) {
  const Fixture& f = fixture();
  return {"library", "--db", db.string(), "import", f.studies.string(), "--model", (f.bundles / "diagnosis").string(),
          "--manifestation-model", (f.bundles / "manifestation").string(), "--threads", "1"};
}

// Starts lunglens-cli with stdout on a pipe; returns the pid and the read end.
std::pair<pid_t, FILE*> spawn(const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe(fds) != 0) return {-1, nullptr};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv{const_cast<char*>(LUNGLENS_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(LUNGLENS_CLI, argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, ::fdopen(fds[0], "r")};
}

// Every study in the file is whole: one series of 12 slices, each with its AI result.
void expectOnlyCompleteStudies(CaseLibrary& library) {
  for (const auto& s : library.studies()) {
    EXPECT_EQ(s.series_count, 1) << s.label;
    EXPECT_EQ(s.slice_count, 12) << s.label;
  }
  Connection& c = library.connection();
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM series se WHERE (SELECT COUNT(*) FROM slices sl WHERE sl.series_id = "
                     "se.id) != 12").toInt(), 0);
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM slices sl LEFT JOIN ai_results ar ON ar.slice_id = sl.id WHERE "
                     "ar.slice_id IS NULL").toInt(), 0);
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM ai_results ar WHERE (SELECT COUNT(*) FROM ai_scores s WHERE s.slice_id = "
                     "ar.slice_id AND s.task = 'diagnosis') != 3").toInt(), 0);
  EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM studies st WHERE NOT EXISTS (SELECT 1 FROM series se WHERE se.study_id = "
                     "st.id)").toInt(), 0);
}

}  // namespace

TEST(LibraryCli, ImportKilledAtARandomPointLosesNothingCommittedAndLeavesNoPartialStudy) {
  const fs::path db = lunglens::test::scratchDir("library-kill") / "library.sqlite";
  std::random_device rd;
  const int kill_after = std::uniform_int_distribution<int>(1, kStudies - 1)(rd);
  RecordProperty("kill_after", kill_after);
  std::cout << "killing after " << kill_after << " imported studies\n";
  auto [pid, out] = spawn(importArgs(db));
  ASSERT_GT(pid, 0);
  ASSERT_NE(out, nullptr);
  std::set<std::string> reported;
  char line[512];
  while (static_cast<int>(reported.size()) < kill_after && std::fgets(line, sizeof line, out)) {
    std::istringstream words(line);
    std::string verb, case_word, number, uid;
    words >> verb >> case_word >> number >> uid;
    if (verb == "imported") reported.insert(uid);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::fclose(out);
  ASSERT_EQ(static_cast<int>(reported.size()), kill_after) << "the import ended before it could be killed";
  // Almost always killed mid-way; if the last study was that quick, the import must have ended cleanly.
  if (!WIFSIGNALED(status)) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  {
    CaseLibrary library(db);
    EXPECT_EQ(library.connection().scalar("PRAGMA integrity_check").toString().toStdString(), "ok");
    for (const std::string& uid : reported) EXPECT_TRUE(library.study(uid).has_value()) << uid << " was lost";
    EXPECT_GE(library.studies().size(), reported.size());
    EXPECT_LE(library.studies().size(), reported.size() + 1);  // at most the one committed while being killed
    expectOnlyCompleteStudies(library);
  }
  // Running the import again finishes the job without duplicating what was there.
  const auto r = lunglens::test::runCli(importArgs(db));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CaseLibrary library(db);
  EXPECT_EQ(library.studies().size(), static_cast<std::size_t>(kStudies));
  EXPECT_EQ(library.connection().scalar("SELECT COUNT(*) FROM slices").toInt(), kStudies * 12);
  expectOnlyCompleteStudies(library);
  std::set<std::string> labels;
  for (const auto& s : library.studies()) labels.insert(s.label);
  EXPECT_EQ(labels.size(), static_cast<std::size_t>(kStudies));
}

TEST(LibraryCli, QueriesByTeacherLabelAndExportsAnAnonymizedTeachingSet) {
  const Fixture& f = fixture();
  const fs::path db = lunglens::test::scratchDir("library-cli-query") / "library.sqlite";
  const auto imported = lunglens::test::runCli(importArgs(db));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // The teacher labels the slices whose truth is GGO (the tiny model knows nothing of GGO).
  std::set<std::pair<std::string, int>> ggo_slices;
  for (const auto& p : f.phantoms)
    for (const auto& t : p.truth)
      if (t.label == ph::Diagnosis::Covid && t.dominant && ph::manifestationClass(*t.dominant) == ph::Finding::Ggo) {
        ggo_slices.insert({p.series.series_uid, t.index});
        if (ggo_slices.size() == 1) {  // the first through the CLI, the rest in process (each CLI start costs)
          const auto r = lunglens::test::runCli({"library", "--db", db.string(), "label", p.series.series_uid,
                                                 std::to_string(t.index), "--diagnosis", "covid", "--manifestations",
                                                 "ggo", "--note", "typical peripheral GGO"});
          ASSERT_EQ(r.exit_code, 0) << r.err;
        } else {
          CaseLibrary(db).setTeacherLabel(p.series.series_uid, t.index, {"covid", {"ggo"}, "typical peripheral GGO"});
        }
      }
  ASSERT_FALSE(ggo_slices.empty());
  const auto q = lunglens::test::runCli(
      {"library", "--db", db.string(), "query", "--manifestation", "ggo", "--source", "teacher", "--json"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  const json rows = json::parse(q.out);
  std::set<std::pair<std::string, int>> found;
  for (const auto& row : rows) {
    found.insert({row["series_uid"].get<std::string>(), row["slice"].get<int>()});
    EXPECT_EQ(row["teacher"]["manifestations"], json::array({"ggo"}));
    EXPECT_FALSE(row["ai"].is_null());  // the AI's answer beside the teacher's
  }
  EXPECT_EQ(found, ggo_slices);
  // Normal phantoms never show up.
  for (int i = 0; i < kStudies; i += 3)
    for (const auto& row : rows) EXPECT_NE(row["series_uid"], f.phantoms[static_cast<std::size_t>(i)].series.series_uid);

  const fs::path out = lunglens::test::scratchDir("library-teaching-set");
  const auto e = lunglens::test::runCli({"library", "--db", db.string(), "export-teaching-set", "--out", out.string(),
                                         "--manifestation", "ggo", "--source", "teacher", "--heatmap", "--limit", "5"});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  std::ifstream in(out / "index.json");
  std::stringstream text;
  text << in.rdbuf();
  const json index = json::parse(text.str());
  EXPECT_EQ(index["format"], "lunglens-teaching-set");
  const std::size_t expected = std::min<std::size_t>(5, ggo_slices.size());
  ASSERT_EQ(index["items"].size(), expected);
  for (const auto& item : index["items"]) {
    const QImage png(QString::fromStdString((out / item["image"].get<std::string>()).string()));
    ASSERT_FALSE(png.isNull()) << item["image"];
    EXPECT_GE(png.height(), 128);
    EXPECT_EQ(item["teacher"]["note"], "typical peripheral GGO");
    EXPECT_EQ(item["case"].get<std::string>().rfind("Case ", 0), 0u);
  }
  // Anonymized: no UID, no folder of the studies in the index.
  for (const auto& p : f.phantoms) {
    EXPECT_EQ(text.str().find(p.series.series_uid), std::string::npos);
    EXPECT_EQ(text.str().find(p.series.study_uid), std::string::npos);
  }
  EXPECT_EQ(text.str().find(f.studies.string()), std::string::npos);

  // Issue 18: "--source teacher" alone wrote every slice of the library; it writes the labelled ones only.
  const fs::path teacherOut = lunglens::test::scratchDir("library-teaching-set-teacher");
  const auto t = lunglens::test::runCli({"library", "--db", db.string(), "export-teaching-set", "--out",
                                         teacherOut.string(), "--source", "teacher"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  std::ifstream teacherIndex(teacherOut / "index.json");
  const json items = json::parse(teacherIndex)["items"];
  EXPECT_EQ(items.size(), ggo_slices.size());
  for (const auto& item : items) EXPECT_EQ(item["teacher"]["note"], "typical peripheral GGO");
}

TEST(LibraryCli, UsageAndBadInput) {
  const fs::path db = lunglens::test::scratchDir("library-cli-usage") / "library.sqlite";
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", db.string()}).exit_code, 2);
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", db.string(), "frobnicate"}).exit_code, 2);
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", db.string(), "import"}).exit_code, 2);
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", db.string(), "import", "/no/such/folder", "--no-ai"}).exit_code,
            1);
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", db.string(), "label", "1.2.3", "4"}).exit_code, 1);
  const fs::path garbage = db.parent_path() / "garbage.sqlite";
  std::ofstream(garbage) << std::string(4096, 'x');
  EXPECT_EQ(lunglens::test::runCli({"library", "--db", garbage.string(), "list"}).exit_code, 1);
}

TEST(LibraryCli, SliceNumbersParseWholeAndAForeignDatabaseIsExit1) {
  const fs::path dir = lunglens::test::scratchDir("library-cli-strict");
  const fs::path db = dir / "library.sqlite";
  // "2 OR 1=1" was taken for slice 2 (std::stoi stops at the space).
  for (const char* slice : {"2 OR 1=1", "2abc", " 2", "-1", "99999999999"}) {
    const auto r = lunglens::test::runCli({"library", "--db", db.string(), "tag", "1.2.3", slice, "T"});
    EXPECT_EQ(r.exit_code, 2) << slice << ": " << r.err;
    EXPECT_NE(r.err.find("SLICE must be a whole number"), std::string::npos) << r.err;
  }
  // Another program's SQLite database: exit 1 naming the file, for every action (query was exit 3).
  const fs::path foreign = dir / "places.sqlite";
  ASSERT_EQ(std::system(("sqlite3 '" + foreign.string() + "' 'CREATE TABLE moz_places (id INTEGER, url TEXT);'" +
                         " 2>/dev/null || python3 -c \"import sqlite3; sqlite3.connect('" + foreign.string() +
                         "').execute('CREATE TABLE moz_places (id INTEGER, url TEXT)')\"")
                            .c_str()),
            0);
  for (const char* action : {"query", "list", "check"}) {
    const auto r = lunglens::test::runCli({"library", "--db", foreign.string(), action});
    EXPECT_EQ(r.exit_code, 1) << action << ": " << r.err;
    EXPECT_NE(r.err.find("not a LungLens case library"), std::string::npos) << r.err;
  }
}
