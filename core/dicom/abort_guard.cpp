#include "core/dicom/abort_guard.h"

#include <csetjmp>
#include <csignal>
#include <mutex>

namespace lunglens::core::dicom {
namespace {

thread_local sigjmp_buf* tl_jump = nullptr;

extern "C" void onAbort(int) {
  if (tl_jump) siglongjmp(*tl_jump, 1);  // glibc's abort() has released its lock before raising SIGABRT
  // Not ours: restore the default action and let the abort proceed.
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

void installHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = onAbort;
    sigemptyset(&action.sa_mask);
    sigaction(SIGABRT, &action, nullptr);
  });
}

}  // namespace

bool runGuardedAgainstAbort(const std::function<void()>& work) {
  installHandler();
  sigjmp_buf jump;
  sigjmp_buf* const outer = tl_jump;
  if (sigsetjmp(jump, 1) != 0) {  // 1: restore the signal mask, which blocked SIGABRT inside the handler
    tl_jump = outer;
    return false;
  }
  tl_jump = &jump;
  try {
    work();
  } catch (...) {
    tl_jump = outer;
    throw;
  }
  tl_jump = outer;
  return true;
}

}  // namespace lunglens::core::dicom
