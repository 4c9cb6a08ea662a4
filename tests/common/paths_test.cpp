#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <unistd.h>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "tests/common/test_paths.h"

namespace fs = std::filesystem;
using namespace lunglens::core;

static std::string readAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicWrite, WritesAndRefusesToOverwrite) {
  const fs::path dir = lunglens::test::scratchDir("atomic");
  const fs::path file = dir / "out.txt";
  writeFileAtomically(file, "first", false);
  EXPECT_EQ(readAll(file), "first");
  EXPECT_THROW(writeFileAtomically(file, "second", false), InputError);
  EXPECT_EQ(readAll(file), "first");
  writeFileAtomically(file, "second", true);
  EXPECT_EQ(readAll(file), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);  // no temporaries left
}

TEST(AtomicWrite, ReadOnlyFolderGivesAClearErrorAndNoPartialFile) {
  if (::geteuid() == 0) {
    // root ignores permission bits; use a path below a regular file instead, which fails for everyone.
    const fs::path dir = lunglens::test::scratchDir("atomic-ro");
    std::ofstream(dir / "plainfile") << "x";
    EXPECT_THROW(writeFileAtomically(dir / "plainfile" / "out.png", "data", false), InputError);
    EXPECT_FALSE(fs::exists(dir / "plainfile" / "out.png"));
    return;
  }
  const fs::path dir = lunglens::test::scratchDir("atomic-ro");
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(writeFileAtomically(dir / "out.png", "data", false), InputError);
  fs::permissions(dir, fs::perms::owner_all);
  EXPECT_TRUE(fs::is_empty(dir));
}
