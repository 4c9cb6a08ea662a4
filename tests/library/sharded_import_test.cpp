// Sharded archive scoring: two `library import --shard I/2` workers running at once over the shared real CT
// series (Lung-PET-CT-Dx, TCIA, CC BY 4.0) write into one library the same rows one worker writes; a re-run
// skips what is done.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/library/case_library.h"
#include "tests/common/test_paths.h"
#include "tests/library/library_fixtures.h"

namespace lunglens::core::library {
namespace {

namespace fs = std::filesystem;

pid_t spawnCli(const std::vector<std::string>& args, const fs::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv{const_cast<char*>(LUNGLENS_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    if (!freopen(log.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
    execv(LUNGLENS_CLI, argv.data());
    _exit(127);
  }
  return pid;
}

int waitCli(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readText(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every slice row with its AI results, in a fixed order; the case labels ("Case 0001") follow commit order and
// are left out, as are the row ids.
std::vector<std::string> sliceRows(const fs::path& db) {
  CaseLibrary library(db);
  std::vector<std::string> rows;
  for (const QueryRow& r : library.query({})) {
    std::ostringstream s;
    s.precision(9);
    s << r.study_uid << " | " << r.series_uid << " | " << r.slice << " | " << r.file << " | " << r.frame << " | "
      << r.rows << "x" << r.cols << " | " << r.position_mm << " | " << r.ai_diagnosis << " | " << r.ai_manifestation
      << " | " << r.model.name << " " << r.model.version << " |";
    for (const auto& [c, p] : r.diagnosis) s << " " << c << "=" << p;
    for (const auto& [c, p] : r.manifestation) s << " " << c << "=" << p;
    if (r.gradcam) s << " | cam " << r.gradcam->class_name << " " << r.gradcam->peak_row << "," << r.gradcam->peak_col;
    rows.push_back(s.str());
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::tuple<std::string, int, int, std::string>> studyRows(const fs::path& db) {
  CaseLibrary library(db);
  std::vector<std::tuple<std::string, int, int, std::string>> out;
  for (const auto& s : library.studies()) out.emplace_back(s.study_uid, s.series_count, s.slice_count, s.root);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShardedImport, TwoWorkersWriteTheRowsOneWorkerWrites) {
  const fs::path archive = test::lungPetCtDx();
  const fs::path dir = test::scratchDir("sharded-import");
  test::writeTinyBundles(dir / "bundles");
  const std::vector<std::string> models{"--model", (dir / "bundles" / "diagnosis").string(), "--manifestation-model",
                                        (dir / "bundles" / "manifestation").string(), "--threads", "1"};
  auto importArgs = [&](const fs::path& db, const std::vector<std::string>& extra) {
    std::vector<std::string> a{"library", "--db", db.string(), "import", archive.string()};
    a.insert(a.end(), models.begin(), models.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const fs::path one = dir / "one.sqlite", two = dir / "two.sqlite";
  ASSERT_EQ(waitCli(spawnCli(importArgs(one, {}), dir / "one.log")), 0) << readText(dir / "one.log");
  // Both workers at once, on one library file (WAL, busy timeout).
  const pid_t a = spawnCli(importArgs(two, {"--shard", "1/2"}), dir / "shard1.log");
  const pid_t b = spawnCli(importArgs(two, {"--shard", "2/2"}), dir / "shard2.log");
  ASSERT_EQ(waitCli(a), 0) << readText(dir / "shard1.log");
  ASSERT_EQ(waitCli(b), 0) << readText(dir / "shard2.log");

  const auto studies = studyRows(one);
  ASSERT_GE(studies.size(), 2u) << "the shared series hold two studies";
  EXPECT_EQ(studyRows(two), studies);
  const auto rows = sliceRows(one);
  ASSERT_GT(rows.size(), 100u);
  EXPECT_EQ(sliceRows(two), rows);
  // The studies were shared out, not both scored twice: each worker imported some, none failed.
  for (const char* log : {"shard1.log", "shard2.log"}) {
    const std::string text = readText(dir / log);
    EXPECT_NE(text.find("imported Case"), std::string::npos) << text;
    EXPECT_NE(text.find("0 failed"), std::string::npos) << text;
  }

  // A re-run of a shard finds its studies done and scores nothing.
  ASSERT_EQ(waitCli(spawnCli(importArgs(two, {"--shard", "1/2"}), dir / "rerun.log")), 0);
  const std::string rerun = readText(dir / "rerun.log");
  EXPECT_NE(rerun.find("0 studies imported"), std::string::npos) << rerun;
  EXPECT_EQ(rerun.find("imported Case"), std::string::npos) << rerun;
  EXPECT_EQ(sliceRows(two), rows);
}

TEST(ShardedImport, ABadShardIsAUsageError) {
  const fs::path dir = test::scratchDir("sharded-import-usage");
  for (const char* shard : {"3/2", "1"}) {  // I beyond N; no N
    const pid_t pid = spawnCli({"library", "--db", (dir / "x.sqlite").string(), "import", dir.string(), "--no-ai",
                                "--shard", shard},
                               dir / "usage.log");
    EXPECT_EQ(waitCli(pid), 2) << shard << ": " << readText(dir / "usage.log");
  }
}

}  // namespace
}  // namespace lunglens::core::library
