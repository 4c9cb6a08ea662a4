#pragma once
// What a piece of work cost this process: wall time, CPU time of all its threads, and minor page faults
// (getrusage ru_minflt). Faults are reported beside every time in bench/: they count fresh memory touched, which
// costs far more on cloud VMs and virtual desktops than here, and unlike times they do not depend on the machine.
#include <chrono>
#include <sys/resource.h>

namespace lunglens::bench {

struct WorkCost {
  double wall_ms = 0;
  double cpu_ms = 0;
  double minor_faults = 0;
};

class WorkMeter {
 public:
  WorkMeter() : wall0_(std::chrono::steady_clock::now()), usage0_(usage()) {}
  // The cost since construction.
  WorkCost elapsed() const {
    const rusage u = usage();
    WorkCost c;
    c.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0_).count();
    c.cpu_ms = cpuMs(u) - cpuMs(usage0_);
    c.minor_faults = static_cast<double>(u.ru_minflt - usage0_.ru_minflt);
    return c;
  }

 private:
  static rusage usage() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u;
  }
  static double cpuMs(const rusage& u) {
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
  }
  std::chrono::steady_clock::time_point wall0_;
  rusage usage0_;
};

}  // namespace lunglens::bench
