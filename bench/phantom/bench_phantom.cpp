// bench_phantom [--slices 120] [--size 512] [--threads 2] [--repeats 3] [--dir SCRATCH]
// Times, in one invocation: a 120-slice 512x512 phantom study (generation + DICOM series + labels.nii.gz +
// truth.json) with T threads; the same single-threaded; the demo study (ensureDemoStudy into an empty data folder);
// and the baseline: memset + write of the same number of bytes into the same number of files. Medians.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "bench/common/work_meter.h"
#include "core/phantom/demo_study.h"
#include "core/phantom/generator.h"
#include "core/phantom/study_writer.h"

namespace fs = std::filesystem;
using namespace lunglens::core;

namespace {

using lunglens::bench::WorkCost;
using lunglens::bench::WorkMeter;

// Medians of wall, CPU (all threads, user + system: on a shared machine what the work costs, whatever the wall
// clock says) and minor page faults over the repeats.
WorkCost median(int repeats, const std::function<void()>& setup, const std::function<void()>& run) {
  std::vector<double> wall, cpu, faults;
  for (int r = 0; r < repeats; ++r) {
    setup();
    const WorkMeter meter;
    run();
    const WorkCost c = meter.elapsed();
    wall.push_back(c.wall_ms);
    cpu.push_back(c.cpu_ms);
    faults.push_back(c.minor_faults);
  }
  for (auto* v : {&wall, &cpu, &faults}) std::sort(v->begin(), v->end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2], faults[faults.size() / 2]};
}

std::uintmax_t folderBytes(const fs::path& dir, int& files) {
  std::uintmax_t total = 0;
  files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size(), ++files;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  int slices = 120, size = 512, threads = 2, repeats = 3;
  fs::path scratch = fs::temp_directory_path() / "lunglens-bench-phantom";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--slices") slices = std::stoi(v);
    else if (k == "--size") size = std::stoi(v);
    else if (k == "--threads") threads = std::stoi(v);
    else if (k == "--repeats") repeats = std::stoi(v);
    else if (k == "--dir") scratch = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  phantom::PhantomParams p;
  p.seed = 7;
  p.slices = slices;
  p.size = size;
  p.threads = threads;
  const fs::path study = scratch / "study";
  auto clear = [&] { fs::remove_all(study); };
  const WorkCost series = median(repeats, clear, [&] { phantom::writePhantomStudy(phantom::generatePhantom(p), study, threads); });
  int files = 0;
  const std::uintmax_t bytes = folderBytes(study, files);

  phantom::PhantomParams single = p;
  single.threads = 1;
  const WorkCost single1 = median(repeats, clear, [&] { phantom::writePhantomStudy(phantom::generatePhantom(single), study, 1); });

  // Baseline: the same bytes, memset and written into the same number of files.
  const fs::path plain = scratch / "plain";
  const std::size_t per_file = static_cast<std::size_t>(bytes / static_cast<std::uintmax_t>(files));
  std::vector<char> buf(per_file);
  const WorkCost baseline = median(
      repeats, [&] { fs::remove_all(plain); fs::create_directories(plain); },
      [&] {
        for (int f = 0; f < files; ++f) {
          std::memset(buf.data(), f & 0xff, buf.size());
          std::ofstream(plain / ("f" + std::to_string(f)), std::ios::binary).write(buf.data(), static_cast<std::streamsize>(buf.size()));
        }
      });

  const fs::path data = scratch / "userdata";
  ::setenv("LUNGLENS_DATA_DIR", data.c_str(), 1);
  const WorkCost demo = median(repeats, [&] { fs::remove_all(data); }, [&] { phantom::ensureDemoStudy(); });
  const WorkCost reuse = median(repeats, [] {}, [&] { phantom::ensureDemoStudy(); });

  std::printf("phantom study %d slices %dx%d: %d files, %.1f MiB\n", slices, size, size, files, bytes / 1048576.0);
  std::printf("| case | wall ms | CPU ms (all threads) | minor faults / slice | wall / baseline wall |\n"
              "|---|---|---|---|---|\n");
  auto row = [&](const std::string& name, const WorkCost& t) {
    std::printf("| %s | %.0f | %.0f | %.0f | %.2f |\n", name.c_str(), t.wall_ms, t.cpu_ms, t.minor_faults / slices,
                t.wall_ms / baseline.wall_ms);
  };
  row("baseline: memset + write of the same bytes, same files", baseline);
  row("phantom study, " + std::to_string(threads) + " threads", series);
  row("phantom study, 1 thread", single1);
  row("demo study (ensureDemoStudy, first run, all cores)", demo);
  row("demo study, already there", reuse);
  std::printf("speed-up %d threads vs 1 (wall): %.2f\n", threads, single1.wall_ms / series.wall_ms);
  fs::remove_all(scratch);
  return 0;
}
