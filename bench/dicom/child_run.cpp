#include "bench/dicom/child_run.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace lunglens::bench {
namespace {

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

ChildResult waitFor(pid_t pid, int readFd, std::chrono::steady_clock::time_point t0) {
  ChildResult result;
  if (readFd >= 0) {
    double v;
    while (read(readFd, &v, sizeof v) == static_cast<ssize_t>(sizeof v)) result.reported.push_back(v);
    close(readFd);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  result.wall_ms = msSince(t0);
  result.max_rss_kib = usage.ru_maxrss;
  result.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                  (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
  result.minor_faults = usage.ru_minflt;
  result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return result;
}

}  // namespace

ChildResult runInChild(const std::function<std::vector<double>()>& work) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    int code = 0;
    try {
      for (double v : work()) {
        if (write(fds[1], &v, sizeof v) != static_cast<ssize_t>(sizeof v)) code = 2;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench child failed: %s\n", e.what());
      code = 1;
    }
    close(fds[1]);
    std::fflush(nullptr);
    _exit(code);
  }
  close(fds[1]);
  return waitFor(pid, fds[0], t0);
}

ChildResult runProgram(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::fflush(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));  // the child's own copy of the strings
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return waitFor(pid, -1, t0);
}

}  // namespace lunglens::bench
