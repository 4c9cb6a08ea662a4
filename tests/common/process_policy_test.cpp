// The process policies main() applies (core/common/openmp_policy.h, allocator_policy.h): the OpenMP wait policy
// reaches the restarted program, a user's own setting is kept, and the allocator policy applies (or is skipped
// on request). The restart is checked on this very test binary: a child process calls ensurePassiveOpenMpWait and
// the restarted binary runs a probe test that reports what it sees.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "core/common/allocator_policy.h"
#include "core/common/openmp_policy.h"

namespace {

// Runs in the restarted binary only: exits 0 if OMP_WAIT_POLICY is what the parent expects, else 1.
TEST(ProcessPolicyProbe, ReportsTheWaitPolicy) {
  const char* want = std::getenv("LUNGLENS_TEST_EXPECT_OMP");
  if (!want) GTEST_SKIP() << "a probe for the restart test";
  const char* got = std::getenv("OMP_WAIT_POLICY");
  std::_Exit(got && std::string(got) == want ? 0 : 1);
}

// Forks; the child sets the environment and calls ensurePassiveOpenMpWait with argv re-running the probe.
int restartExitCode(const char* user_policy, const char* expect) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (user_policy) setenv("OMP_WAIT_POLICY", user_policy, 1);
    else unsetenv("OMP_WAIT_POLICY");
    unsetenv("LUNGLENS_OMP_WAIT");
    setenv("LUNGLENS_TEST_EXPECT_OMP", expect, 1);
    static char self[] = "process_policy_probe";
    static char filter[] = "--gtest_filter=ProcessPolicyProbe.ReportsTheWaitPolicy";
    char* argv[] = {self, filter, nullptr};
    lunglens::core::ensurePassiveOpenMpWait(argv);
    std::_Exit(user_policy ? 0 : 42);  // no restart: fine with a user's policy, a failure without
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ProcessPolicy, UnsetWaitPolicyRestartsTheProgramWithPassive) { EXPECT_EQ(restartExitCode(nullptr, "PASSIVE"), 0); }

TEST(ProcessPolicy, AUsersOwnWaitPolicyIsKept) { EXPECT_EQ(restartExitCode("ACTIVE", "ACTIVE"), 0); }

TEST(ProcessPolicy, AllocatorPolicyAppliesUnlessAskedNotTo) {
  unsetenv("LUNGLENS_MALLOC");
  const auto applied = lunglens::core::applyAllocatorPolicy();
  EXPECT_TRUE(applied.applied) << applied.description;
  setenv("LUNGLENS_MALLOC", "glibc", 1);
  const auto kept = lunglens::core::applyAllocatorPolicy();
  EXPECT_FALSE(kept.applied);
  EXPECT_NE(kept.description.find("LUNGLENS_MALLOC=glibc"), std::string::npos);
  unsetenv("LUNGLENS_MALLOC");
}

}  // namespace
