#include "core/common/openmp_policy.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace lunglens::core {

void ensurePassiveOpenMpWait(char** argv) {
  const char* set = std::getenv("OMP_WAIT_POLICY");
  if (set && *set) return;  // the user's choice, or our own second start
  const char* mode = std::getenv("LUNGLENS_OMP_WAIT");
  if (mode && std::strcmp(mode, "default") == 0) return;
  if (setenv("OMP_WAIT_POLICY", "PASSIVE", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // Only reached when the re-exec failed: go on with libgomp's default rather than not at all.
}

}  // namespace lunglens::core
