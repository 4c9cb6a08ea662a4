// bench_dicom_load [--slices N] [--repeats R] [--threads T] [--source DIR]
// Loads one long synthetic CT series (the real 5 mm Lung-PET-CT-Dx series repeated to N slices, 512x512) with
// LungLens, with ITK's ImageSeriesReader + GDCMImageIO and with `dcm2niix -z n`, each in its own child process on a
// warm page cache, and reports medians and ratios: time to the first slice, time to the whole volume, peak memory.
#include <itkGDCMImageIO.h>
#include <itkGDCMSeriesFileNames.h>
#include <itkImage.h>
#include <itkImageSeriesReader.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

#include "bench/dicom/child_run.h"
#include "bench/dicom/synthetic_series.h"
#include "core/common/parallel.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

fs::path sourceSeries() {
  const fs::path root = fs::path(LUNGLENS_SHARED_DATA_DIR) / "dicom" / "lung-pet-ct-dx";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_directory() && e.path().filename().string().find("5mm-40805") != std::string::npos) return e.path();
  }
  throw std::runtime_error("the 5 mm Lung_Dx-A0001 series is missing under " + root.string());
}

void warmPageCache(const fs::path& dir) {
  std::vector<char> buf(1 << 20);
  for (const auto& e : fs::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size()))) {
    }
  }
}

// Evicts the series' files from the page cache (they are clean, so this works without root), for cold-cache runs.
void dropPageCache(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const int fd = open(e.path().c_str(), O_RDONLY);
    if (fd < 0) continue;
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
}

// LungLens: scan (headers only), allocate, decode in parallel publishing slices. Reports scan, first slice, total.
std::vector<double> loadWithLungLens(const fs::path& dir, int threads) {
  const auto t0 = Clock::now();
  core::dicom::ScanOptions scanOptions;
  scanOptions.threads = threads;
  const auto catalog = core::dicom::scan(dir, scanOptions);
  const double scanMs = msSince(t0);
  if (catalog.series.size() != 1) throw std::runtime_error("expected one series");
  auto volume = core::dicom::allocateVolume(catalog.series[0]);
  std::atomic<double> firstMs{-1.0};
  core::dicom::LoadOptions options;
  options.threads = threads;
  options.on_slice_ready = [&](int) {
    double none = -1.0;
    firstMs.compare_exchange_strong(none, msSince(t0));
  };
  core::dicom::fillVolume(catalog.series[0], *volume, options);
  const double totalMs = msSince(t0);
  if (!volume->complete()) throw std::runtime_error("incomplete volume");
  return {scanMs, firstMs.load(), totalMs, static_cast<double>(volume->slices())};
}

std::vector<double> loadWithItk(const fs::path& dir) {
  const auto t0 = Clock::now();
  using Image = itk::Image<short, 3>;
  auto names = itk::GDCMSeriesFileNames::New();
  names->SetUseSeriesDetails(true);
  names->SetDirectory(dir.string());
  const auto uids = names->GetSeriesUIDs();
  if (uids.size() != 1) throw std::runtime_error("ITK found " + std::to_string(uids.size()) + " series");
  auto reader = itk::ImageSeriesReader<Image>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileNames(names->GetFileNames(uids.front()));
  reader->Update();
  const double totalMs = msSince(t0);
  return {totalMs, static_cast<double>(reader->GetOutput()->GetLargestPossibleRegion().GetSize()[2])};
}

struct Row {
  std::vector<double> first_ms, total_ms, wall_ms, rss_mib, scan_ms, faults;
};

}  // namespace

int main(int argc, char** argv) {
  int slices = 300, repeats = 3, threads = core::defaultThreadCount();
  fs::path source;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--source")) source = argv[i + 1];
    if (!std::strcmp(argv[i], "--slices")) slices = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--repeats")) repeats = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
  }
  const fs::path work = fs::temp_directory_path() / ("lunglens-bench-dicom-" + std::to_string(getpid()));
  const fs::path series = work / "series", nifti = work / "nifti";
  if (source.empty()) source = sourceSeries();
  std::printf("building a %d-slice series from %s ...\n", slices, source.c_str());
  const std::size_t volumeBytes = bench::writeLongSeries(source, series, slices);
  fs::create_directories(nifti);
  warmPageCache(series);
  const double volumeMib = volumeBytes / 1048576.0;

  const auto idle = bench::runInChild([] { return std::vector<double>{}; });
  Row ours, oursOne, itk, niix, oursCold, niixCold;
  for (int r = 0; r < repeats; ++r) {
    dropPageCache(series);
    const auto cold = bench::runInChild([&] { return loadWithLungLens(series, threads); });
    if (!cold.ok || cold.reported.size() != 4) return std::fprintf(stderr, "LungLens load failed\n"), 1;
    oursCold.scan_ms.push_back(cold.reported[0]);
    oursCold.first_ms.push_back(cold.reported[1]);
    oursCold.total_ms.push_back(cold.reported[2]);
    oursCold.wall_ms.push_back(cold.wall_ms);
    oursCold.faults.push_back(static_cast<double>(cold.minor_faults));
    oursCold.rss_mib.push_back(cold.max_rss_kib / 1024.0);
    dropPageCache(series);
    const auto coldNiix =
        bench::runProgram({"dcm2niix", "-z", "n", "-o", nifti.string(), "-f", "vol_%r", series.string()});
    niixCold.wall_ms.push_back(coldNiix.wall_ms);
    niixCold.faults.push_back(static_cast<double>(coldNiix.minor_faults));
    niixCold.rss_mib.push_back(coldNiix.max_rss_kib / 1024.0);
    for (const auto& e : fs::directory_iterator(nifti)) fs::remove(e.path());
    warmPageCache(series);
    for (auto* row : {&ours, &oursOne}) {
      const int t = row == &ours ? threads : 1;
      const auto c = bench::runInChild([&] { return loadWithLungLens(series, t); });
      if (!c.ok || c.reported.size() != 4) return std::fprintf(stderr, "LungLens load failed\n"), 1;
      row->scan_ms.push_back(c.reported[0]);
      row->first_ms.push_back(c.reported[1]);
      row->total_ms.push_back(c.reported[2]);
      row->wall_ms.push_back(c.wall_ms);
      row->faults.push_back(static_cast<double>(c.minor_faults));
      row->rss_mib.push_back(c.max_rss_kib / 1024.0);
    }
    const auto i = bench::runInChild([&] { return loadWithItk(series); });
    if (!i.ok) return std::fprintf(stderr, "ITK load failed\n"), 1;
    itk.total_ms.push_back(i.reported[0]);
    itk.wall_ms.push_back(i.wall_ms);
    itk.faults.push_back(static_cast<double>(i.minor_faults));
    itk.rss_mib.push_back(i.max_rss_kib / 1024.0);
    const auto d = bench::runProgram({"dcm2niix", "-z", "n", "-o", nifti.string(), "-f", "vol_%r", series.string()});
    if (!d.ok) return std::fprintf(stderr, "dcm2niix failed (is it installed?)\n"), 1;
    niix.wall_ms.push_back(d.wall_ms);
    niix.faults.push_back(static_cast<double>(d.minor_faults));
    niix.rss_mib.push_back(d.max_rss_kib / 1024.0);
    for (const auto& e : fs::directory_iterator(nifti)) fs::remove(e.path());
  }
  fs::remove_all(work);

  const double idleMib = idle.max_rss_kib / 1024.0;
  std::printf("\n%d slices of 512x512, volume %.1f MiB, %d decoding threads, %u cores, median of %d runs\n\n", slices,
              volumeMib, threads, std::max(1u, std::thread::hardware_concurrency()), repeats);
  std::printf("| loader | first slice ms | whole volume ms (process wall) | peak RSS MiB | RSS above idle / volume |"
              " minor faults / slice (above idle) |\n");
  std::printf("|---|---|---|---|---|---|\n");
  const double idleFaults = static_cast<double>(idle.minor_faults);
  auto line = [&](const char* name, const Row& row) {
    const double rss = median(row.rss_mib);
    const double faults = (median(row.faults) - idleFaults) / slices;
    if (row.first_ms.empty()) {
      std::printf("| %s | - | %.0f | %.0f | %.2f | %.0f |\n", name, median(row.wall_ms), rss,
                  (rss - idleMib) / volumeMib, faults);
    } else {
      std::printf("| %s | %.0f (scan %.0f) | %.0f (in-process %.0f) | %.0f | %.2f | %.0f |\n", name,
                  median(row.first_ms), median(row.scan_ms), median(row.wall_ms), median(row.total_ms), rss,
                  (rss - idleMib) / volumeMib, faults);
    }
  };
  line("LungLens", ours);
  line("LungLens, 1 thread", oursOne);
  line("ITK ImageSeriesReader + GDCMImageIO", itk);
  line("dcm2niix -z n", niix);
  line("LungLens, cold page cache", oursCold);
  line("dcm2niix -z n, cold page cache", niixCold);
  std::printf("\nidle child RSS (fixed overhead): %.0f MiB\n", idleMib);
  std::printf("whole-volume ratio LungLens / dcm2niix: %.2f (cold cache %.2f)   LungLens / ITK: %.2f\n",
              median(ours.wall_ms) / median(niix.wall_ms), median(oursCold.wall_ms) / median(niixCold.wall_ms),
              median(ours.wall_ms) / median(itk.wall_ms));
  std::printf("speed-up %d threads vs 1 (whole volume, in-process): %.2f\n", threads,
              median(oursOne.total_ms) / median(ours.total_ms));
  std::printf("first slice: %.0f ms warm, %.0f ms cold (target 150 ms)   peak memory: %.2f x volume above idle (target 1.5)\n",
              median(ours.first_ms), median(oursCold.first_ms), (median(ours.rss_mib) - idleMib) / volumeMib);
  return 0;
}
