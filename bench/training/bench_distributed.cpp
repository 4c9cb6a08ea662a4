// bench_distributed: data-parallel training throughput of `lunglens-cli train`, three ways on the same data in one
// run (docs/PERFORMANCE.md, "Distributed training"):
//   1 x 1  one process, 1 LibTorch thread (the baseline),
//   1 x 2  one process, 2 LibTorch threads,
//   2 x 1  two processes (--world-size 2, c10d/Gloo over a FileStore), 1 thread each,
// all with the same global batch and epochs. Reports train images/s (epochs x training slices / training seconds,
// validation included, as training.json measures it), the ratio to 1 x 1, the scaling efficiency of 2 x 1
// (ratio / 2) and minor page faults per training image over all processes (getrusage of the children).
// Usage: bench_distributed [--cli PATH] [--subjects 12] [--slices 8] [--input-size 96] [--batch 16] [--epochs 3]
//                          [--arch mobilenet_v2] [--repeats 1] [--dir SCRATCH]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::map<std::string, std::string> g_args;
std::string arg(const std::string& name, const std::string& fallback) {
  const auto it = g_args.find(name);
  return it == g_args.end() ? fallback : it->second;
}

pid_t spawn(const std::string& command) {
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// Waits for every pid; returns the summed minor faults, or -1 if one failed.
long waitAll(const std::vector<pid_t>& pids) {
  long faults = 0;
  bool ok = true;
  for (pid_t pid : pids) {
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    faults += usage.ru_minflt;
  }
  return ok ? faults : -1;
}

struct Result {
  double images_per_s = 0, faults_per_image = 0, wall_s = 0;
};

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; i += 2) g_args[std::string(argv[i]).substr(2)] = argv[i + 1];
  const std::string cli = arg("cli", LUNGLENS_CLI);
  const int batch = std::stoi(arg("batch", "16"));
  const int epochs = std::stoi(arg("epochs", "3"));
  const int repeats = std::stoi(arg("repeats", "1"));
  const fs::path dir = arg("dir", (fs::temp_directory_path() / ("bench-distributed-" + std::to_string(getpid()))).string());
  fs::create_directories(dir);
  const fs::path set = dir / "set";
  if (!fs::exists(set / "labels.csv")) {
    const pid_t p = spawn(cli + " phantom-set --out '" + set.string() + "' --subjects " + arg("subjects", "12") +
                          " --slices " + arg("slices", "8") + " --size 128 --seed 5 --threads 2 > '" +
                          (dir / "phantom-set.log").string() + "' 2>&1");
    if (waitAll({p}) < 0) {
      std::fprintf(stderr, "phantom-set failed, see %s\n", (dir / "phantom-set.log").c_str());
      return 1;
    }
  }
  const std::string common = " train --data '" + set.string() + "' --task diagnosis --arch " +
                             arg("arch", "mobilenet_v2") + " --init random --input-size " + arg("input-size", "96") +
                             " --epochs " + std::to_string(epochs) +
                             " --warmup-epochs 0 --patience 0 --no-augment --bootstrap 10 --seed 3 --overwrite";
  int run = 0;
  auto measure = [&](const std::string& name, int processes, int threads) {
    Result best;
    for (int r = 0; r < repeats; ++r) {
      const fs::path out = dir / (name + "-" + std::to_string(run++));
      std::vector<pid_t> pids;
      const auto t0 = std::chrono::steady_clock::now();
      for (int rank = 0; rank < processes; ++rank) {
        std::string command = cli + common + " --threads " + std::to_string(threads) + " --batch " +
                              std::to_string(batch / processes) + " --out '" + out.string() + "'";
        if (processes > 1)
          command += " --world-size " + std::to_string(processes) + " --rank " + std::to_string(rank) +
                     " --rendezvous file://" + (out.string() + ".rdv");
        command += " > '" + out.string() + "-" + std::to_string(rank) + ".log' 2>&1";
        pids.push_back(spawn(command));
      }
      const long faults = waitAll(pids);
      const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (faults < 0) {
        std::fprintf(stderr, "%s failed, see %s-0.log\n", name.c_str(), out.c_str());
        std::exit(1);
      }
      std::ifstream in(out / "training.json");
      const auto training = nlohmann::json::parse(in);
      const double images = static_cast<double>(epochs) * training.at("train_slices").get<double>();
      const double ips = images / training.at("training_seconds").get<double>();
      if (ips > best.images_per_s) best = {ips, static_cast<double>(faults) / images, wall};
    }
    return best;
  };
  const Result one = measure("1x1", 1, 1);
  const Result two_threads = measure("1x2", 1, 2);
  const Result two_procs = measure("2x1", 2, 1);
  std::printf("bench_distributed: %s at %s px, global batch %d, %d epochs, best of %d\n",
              arg("arch", "mobilenet_v2").c_str(), arg("input-size", "96").c_str(), batch, epochs, repeats);
  std::printf("| run | train images/s | ratio to 1 x 1 | minor faults / image | process wall s |\n|---|---|---|---|---|\n");
  for (const auto& [name, r] : std::vector<std::pair<std::string, Result>>{
           {"1 process x 1 thread", one}, {"1 process x 2 threads", two_threads}, {"2 processes x 1 thread", two_procs}})
    std::printf("| %s | %.1f | %.2f | %.0f | %.1f |\n", name.c_str(), r.images_per_s, r.images_per_s / one.images_per_s,
                r.faults_per_image, r.wall_s);
  std::printf("scaling efficiency of 2 x 1 over 1 x 1: %.0f%% (ratio %.2f; goal >= 1.7 on 2 idle cores)\n",
              50.0 * two_procs.images_per_s / one.images_per_s, two_procs.images_per_s / one.images_per_s);
  return 0;
}
