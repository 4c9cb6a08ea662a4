// bench_process_policy [--cli PATH] [--repeats 3] [--threads 2] [--dir SCRATCH] [--jemalloc PATH]
// The process-wide policies lunglens-cli sets in main() against the defaults, in one invocation: the same
// lunglens-cli runs, each in its own process, alternated policy / baseline so that a machine that speeds up or
// slows down during the run hits both alike.
// 1. Allocator (core/common/allocator_policy.h) vs glibc's defaults (LUNGLENS_MALLOC=glibc): a 120-slice 512 x 512
//    COVID phantom study (synthesis, DICOM, NIfTI) and the demo diagnosis model scoring it (`classify`).
// 2. OpenMP wait policy (core/common/openmp_policy.h: PASSIVE) vs libgomp's default (LUNGLENS_OMP_WAIT=default):
//    `classify` on an idle machine and beside one busy process (a spinning child), as on a shared VM.
// 3. The allocator policy against Debian's jemalloc (libjemalloc2, LD_PRELOAD), when it is installed or given with
//    --jemalloc PATH: the same two runs, three ways alternated (policy, glibc default, jemalloc).
// Reported per work item: medians of wall, CPU and minor page faults (ru_minflt, which does not depend on the
// machine's speed), and each as a ratio policy / baseline.
#include <algorithm>
#include <cstdio>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "bench/dicom/child_run.h"

namespace fs = std::filesystem;
using lunglens::bench::ChildResult;
using lunglens::bench::runProgram;

namespace {

struct Medians {
  double wall_ms = 0, cpu_ms = 0, faults = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct Runs {
  std::vector<double> wall, cpu, faults;
  void add(const ChildResult& r) {
    wall.push_back(r.wall_ms);
    cpu.push_back(r.cpu_ms);
    faults.push_back(static_cast<double>(r.minor_faults));
  }
  Medians medians() const { return {median(wall), median(cpu), median(faults)}; }
};

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return fallback;
}

void report(const char* what, const Medians& a, const Medians& b, const char* a_name = "policy",
            const char* b_name = "default") {
  std::printf("%-34s %s %8.0f ms wall %8.0f ms CPU %9.0f faults | %s %8.0f ms wall %8.0f ms CPU %9.0f faults"
              " | ratio wall %.2f CPU %.2f faults %.3f\n",
              what, a_name, a.wall_ms, a.cpu_ms, a.faults, b_name, b.wall_ms, b.cpu_ms, b.faults, a.wall_ms / b.wall_ms,
              a.cpu_ms / b.cpu_ms, a.faults / b.faults);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path exe = fs::canonical("/proc/self/exe").parent_path();
  const std::string cli = arg(argc, argv, "cli", (exe / "lunglens-cli").string());
  const int repeats = std::max(1, std::atoi(arg(argc, argv, "repeats", "3").c_str()));
  const std::string threads = arg(argc, argv, "threads", "2");
  const fs::path dir = arg(argc, argv, "dir", (fs::temp_directory_path() / "lunglens-bench-process-policy").string());
  const fs::path model = exe / "models" / "lunglens-demo-diagnosis";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<std::string> baseline = {"LUNGLENS_MALLOC=glibc"};
  const std::string jemalloc = arg(argc, argv, "jemalloc", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
  const bool with_jemalloc = fs::exists(jemalloc);
  // jemalloc replaces malloc itself; the mallopt policy (glibc's arena only) is switched off beside it.
  const std::vector<std::string> jemalloc_env = {"LD_PRELOAD=" + jemalloc, "LUNGLENS_MALLOC=glibc"};

  const fs::path study = dir / "phantom";
  auto phantom = [&](const std::vector<std::string>& env) {
    fs::remove_all(study);
    return runProgram({cli, "phantom", "--out", study.string(), "--diagnosis", "covid", "--slices", "120", "--size",
                       "512", "--seed", "7", "--threads", threads},
                      env);
  };
  auto classify = [&](const std::vector<std::string>& env) {
    return runProgram({cli, "classify", (study / "dicom").string(), "--model", model.string(), "--threads", threads,
                       "--format", "csv"},
                      env);
  };

  std::printf("bench_process_policy: %s, %d repeats, %s threads, alternated\n", cli.c_str(), repeats, threads.c_str());
  // One round of `work` three ways, alternated: the policy, glibc's defaults, jemalloc (when installed).
  auto round = [&](const auto& work, Runs& policy, Runs& base, Runs& jem) {
    const ChildResult a = work(std::vector<std::string>{}), b = work(baseline);
    const ChildResult j = with_jemalloc ? work(jemalloc_env) : a;
    if (!a.ok || !b.ok || !j.ok) return false;
    policy.add(a);
    base.add(b);
    jem.add(j);
    return true;
  };
  Runs pp, pb, pj, cp, cb, cj;
  for (int r = 0; r < repeats; ++r) {
    if (!round(phantom, pp, pb, pj)) {
      std::fprintf(stderr, "bench_process_policy: lunglens-cli phantom failed\n");
      return 1;
    }
    if (fs::exists(model) && !round(classify, cp, cb, cj)) {
      std::fprintf(stderr, "bench_process_policy: lunglens-cli classify failed\n");
      return 1;
    }
  }
  report("phantom 120 x 512^2 (covid)", pp.medians(), pb.medians());
  if (!cp.wall.empty()) report("classify that study (demo model)", cp.medians(), cb.medians());
  else std::printf("classify: skipped, no demo model at %s\n", model.string().c_str());
  if (with_jemalloc) {
    std::printf("jemalloc (%s, LD_PRELOAD) against the policy and against glibc's defaults\n", jemalloc.c_str());
    report("phantom 120 x 512^2 (covid)", pj.medians(), pp.medians(), "jemalloc", "policy");
    report("phantom 120 x 512^2 (covid)", pj.medians(), pb.medians(), "jemalloc", "default");
    if (!cj.wall.empty()) {
      report("classify that study (demo model)", cj.medians(), cp.medians(), "jemalloc", "policy");
      report("classify that study (demo model)", cj.medians(), cb.medians(), "jemalloc", "default");
    }
  } else {
    std::printf("jemalloc: skipped, %s not found (Debian: libjemalloc2)\n", jemalloc.c_str());
  }

  // OpenMP's wait policy: idle, then beside one process that wants a core all the time.
  if (fs::exists(model)) {
    const std::vector<std::string> spin = {"LUNGLENS_OMP_WAIT=default"};
    Runs ip, ib, lp, lb;
    for (int r = 0; r < repeats; ++r) {
      ip.add(classify({}));
      ib.add(classify(spin));
    }
    const pid_t busy = fork();
    if (busy == 0) {
      volatile unsigned long spins = 0;
      for (;;) spins = spins + 1;
    }
    for (int r = 0; r < repeats; ++r) {
      lp.add(classify({}));
      lb.add(classify(spin));
    }
    kill(busy, SIGKILL);
    waitpid(busy, nullptr, 0);
    std::printf("OpenMP wait policy: PASSIVE (policy) vs libgomp's default\n");
    report("classify, idle machine", ip.medians(), ib.medians());
    report("classify, beside one busy process", lp.medians(), lb.medians());
  }
  fs::remove_all(dir);
  return 0;
}
