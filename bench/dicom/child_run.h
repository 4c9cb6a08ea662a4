#pragma once
// Runs a measurement in a child process so each one's peak memory (ru_maxrss) is its own.
#include <functional>
#include <string>
#include <vector>

namespace lunglens::bench {

struct ChildResult {
  bool ok = false;
  double wall_ms = 0;              // fork to exit, as seen by the parent
  long max_rss_kib = 0;            // the child's peak resident set
  double cpu_ms = 0;               // the child's user + system CPU time (all its threads)
  long minor_faults = 0;           // the child's minor page faults (ru_minflt): machine-independent cost of memory
  std::vector<double> reported;    // numbers the child wrote back (its own timings)
};

// Forks; the child runs `work`, which returns numbers to report, then exits. The parent waits.
ChildResult runInChild(const std::function<std::vector<double>()>& work);
// Forks and execs `argv` (stdout and stderr to /dev/null), with `env` ("NAME=value") added to the environment.
ChildResult runProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});

}  // namespace lunglens::bench
