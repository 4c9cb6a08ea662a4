// bench_lung [--slices 300] [--size 512] [--threads 2] [--repeats 3] [--dir DIR]
// Writes a chest phantom series (COVID-19, seed 2020) as DICOM into a temporary folder, then, per repeat, in a
// fresh child process: loads it with LungLens (scan + loadSeries) and runs analyzeLungs on the loaded volume.
// Reports load time, analysis time and their ratio, the analysis' peak memory above the loaded volume (ru_maxrss
// after the analysis minus the resident set once the volume is loaded, as a fraction of the volume) and minor page
// faults per slice (getrusage ru_minflt) of each phase. Medians over the repeats.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "bench/dicom/child_run.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/lung/lung_analysis.h"
#include "core/phantom/generator.h"
#include "core/phantom/study_writer.h"

namespace {

using namespace lunglens;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

long residentKib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

rusage usage() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

int argInt(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return std::atoi(argv[i + 1]);
  return fallback;
}

std::string argStr(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int slices = argInt(argc, argv, "slices", 300), size = argInt(argc, argv, "size", 512);
  const int threads = argInt(argc, argv, "threads", 2), repeats = argInt(argc, argv, "repeats", 3);
  const std::filesystem::path dir =
      argStr(argc, argv, "dir", (std::filesystem::temp_directory_path() / ("bench_lung_" + std::to_string(getpid()))).string());
  const bool keep = argStr(argc, argv, "dir", "").size() > 0;

  // The series on disk, written by a child so this process stays small for the children it forks.
  if (!std::filesystem::exists(dir / "dicom")) {
    const auto made = bench::runInChild([&] {
      core::phantom::PhantomParams p;
      p.seed = 2020;
      p.diagnosis = core::phantom::Diagnosis::Covid;
      p.severity = 0.3;
      p.slices = slices;
      p.size = size;
      const auto phantom = core::phantom::generatePhantom(p);
      core::phantom::writePhantomStudy(phantom, dir, 0);
      return std::vector<double>{};
    });
    if (!made.ok) {
      std::cerr << "bench_lung: could not write the phantom series into " << dir << "\n";
      return 1;
    }
  }

  std::vector<double> load_ms, analysis_ms, peak_frac, load_flt, analysis_flt, lung_ml;
  double volume_mib = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto res = bench::runInChild([&] {
      const rusage u0 = usage();
      auto t0 = Clock::now();
      const auto catalog = core::dicom::scan((dir / "dicom").string());
      core::dicom::LoadOptions load;
      load.threads = threads;
      const auto volume = core::dicom::loadSeries(catalog.series.at(0), load);
      const double load_time = msSince(t0);
      const rusage u1 = usage();
      const long rss_loaded = residentKib();
      core::lung::AnalysisOptions options;
      options.threads = threads;
      t0 = Clock::now();
      const auto analysis = core::lung::analyzeLungs(*volume, options);
      const double analysis_time = msSince(t0);
      const rusage u2 = usage();
      const double volume_kib = static_cast<double>(volume->bytes()) / 1024.0;
      const double peak_above = static_cast<double>(std::max(0L, u2.ru_maxrss - rss_loaded)) / volume_kib;
      return std::vector<double>{load_time, analysis_time, peak_above,
                                 static_cast<double>(u1.ru_minflt - u0.ru_minflt),
                                 static_cast<double>(u2.ru_minflt - u1.ru_minflt), volume_kib / 1024.0,
                                 analysis.both.volume_ml};
    });
    if (!res.ok || res.reported.size() != 7) {
      std::cerr << "bench_lung: a run failed\n";
      return 1;
    }
    load_ms.push_back(res.reported[0]);
    analysis_ms.push_back(res.reported[1]);
    peak_frac.push_back(res.reported[2]);
    load_flt.push_back(res.reported[3] / slices);
    analysis_flt.push_back(res.reported[4] / slices);
    volume_mib = res.reported[5];
    lung_ml.push_back(res.reported[6]);
    std::printf("run %d: load %.0f ms, analysis %.0f ms (ratio %.2f), peak above loaded %.2f x volume\n", r + 1,
                res.reported[0], res.reported[1], res.reported[1] / res.reported[0], res.reported[2]);
  }
  std::printf("\n%d slices of %dx%d (%.0f MiB as int16), %d threads, median of %d:\n", slices, size, size,
              volume_mib, threads, repeats);
  std::printf("| phase | ms | minor faults / slice |\n|---|---|---|\n");
  std::printf("| load (scan + loadSeries) | %.0f | %.1f |\n", median(load_ms), median(load_flt));
  std::printf("| analyzeLungs (segmentation + quantification) | %.0f | %.1f |\n", median(analysis_ms),
              median(analysis_flt));
  std::printf("ratio analysis / load: %.2f; peak memory of the analysis above the loaded volume: %.2f x volume; "
              "lungs %.0f mL\n",
              median(analysis_ms) / median(load_ms), median(peak_frac), median(lung_ml));
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
