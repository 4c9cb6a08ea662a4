// bench_ai_scroll [--slices N] [--frames N] [--model DIR] [--work DIR]: is the viewer still smooth while the AI
// scores the series? The real main window (viewer + AI panel + heatmap layer) scrolls a phantom series slice by
// slice at 60 Hz, twice in one run:
//   idle - every slice already scored, the engine idle (the baseline)
//   busy - the same scroll right after "Re-run": the engine classifies the series meanwhile (re-run whenever it
//          finishes, so it works during every frame)
//   view - for scale: the viewer alone (AI dock hidden, engine stopped)
// Frame time = how late the frame started against its 60 Hz slot (UI thread stalls: result handling, panel and
// curve updates) + the frame itself (move the slice, process pending events, repaint the window, glFinish).
// Models: --model, else the trained demo model installed beside the executable, else the hand-set dev bundle.
// Run under Xvfb: xvfb-run -a -s "-screen 0 1920x1200x24" build/bin/bench_ai_scroll [--rounds R]
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/common/work_meter.h"
#include "app/gui/main_window.h"
#include "core/common/paths.h"
#include "core/inference/bundle.h"
#include "core/phantom/generator.h"
#include "core/phantom/study_writer.h"
#include "tests/ui/ai_dev_bundle.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/common/vtk_view_widget.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

using namespace lunglens;
namespace fs = std::filesystem;

namespace {

constexpr double kFrameMs = 1000.0 / 60.0;
int runsStarted = 0;  // engine runs started during the busy scrolls

struct Stats {
  double p50 = 0, p95 = 0, max = 0;
  int over16 = 0, over50 = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  std::sort(v.begin(), v.end());
  s.p50 = v[v.size() / 2];
  s.p95 = v[std::min(v.size() - 1, v.size() * 95 / 100)];
  s.max = v.back();
  for (double x : v) {
    s.over16 += x > 16.0;
    s.over50 += x > 50.0;
  }
  return s;
}

double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

template <class Done>
bool spin(Done done, int timeout_ms) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    QThread::msleep(1);
  }
  return true;
}

// Scrolls `frames` slices (bouncing at the ends) at 60 Hz. A frame's time is its own work (move the slice, process
// the pending events, which repaints the window, and glFinish) plus how long the UI thread was kept busy past the
// frame's 60 Hz slot by whatever it handled before it (engine results, panel and curve updates): a slot missed
// because of a long event shows up in that frame. `stalls` gets the longest single event-loop pass between frames.
// With `keepBusy`, a series the engine finished is re-run at once, so it classifies during the whole scroll.
// `cpu` gets the UI thread's CPU time per frame (immune to other processes competing for the cores).
std::vector<double> scroll(gui::MainWindow& window, int frames, bool keepBusy, int* busyFrames,
                           std::vector<double>* stalls, std::vector<double>* cpu) {
  auto& viewer = window.viewer();
  auto& view = window.sliceView();
  std::vector<double> times;
  int z = viewer.slice(), step = 1;
  QElapsedTimer clock;
  clock.start();
  double next = 0.0;
  for (int f = 0; f < frames; ++f) {
    double longest = 0.0;
    double now = clock.nsecsElapsed() / 1e6;
    while (now < next) {
      QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
      const double after = clock.nsecsElapsed() / 1e6;
      longest = std::max(longest, after - now);
      now = after;
    }
    stalls->push_back(longest);
    const double late = std::max(0.0, now - next);
    if (keepBusy && !window.ai().engine().scoring()) {
      window.ai().engine().rerun();
      ++runsStarted;
    }
    if (window.ai().engine().scoring()) ++*busyFrames;
    const double cpuStart = threadCpuMs();
    if (z + step < 0 || z + step >= viewer.sliceCount()) step = -step;
    z += step;
    viewer.setSlice(z);
    QCoreApplication::processEvents();  // paints what changed: the slice view, panel bars, curve marker
    view.finishFrame();
    const double end = clock.nsecsElapsed() / 1e6;
    times.push_back(late + (end - now));
    cpu->push_back(threadCpuMs() - cpuStart);
    next = std::max(next + kFrameMs, end);  // the next slot; never queue up frames already missed
  }
  return times;
}

struct Pass {
  std::vector<double> wall, cpu, stalls;
  double faults = 0;  // minor page faults, whole process, summed over the pass's frames
  int frames = 0, busyFrames = 0;
  void add(const Pass& o) {
    wall.insert(wall.end(), o.wall.begin(), o.wall.end());
    cpu.insert(cpu.end(), o.cpu.begin(), o.cpu.end());
    stalls.insert(stalls.end(), o.stalls.begin(), o.stalls.end());
    faults += o.faults;
    frames += o.frames;
    busyFrames += o.busyFrames;
  }
};

Pass measure(gui::MainWindow& window, int frames, bool keepBusy) {
  Pass p;
  p.frames = frames;
  const bench::WorkMeter meter;
  p.wall = scroll(window, frames, keepBusy, &p.busyFrames, &p.stalls, &p.cpu);
  p.faults = meter.elapsed().minor_faults;
  return p;
}

bool settle(gui::MainWindow& window) {
  return spin([&] { return window.settledNow() && window.ai().settledNow() && window.ai().scores().allScored(); },
              600000);
}

// One round of the three passes on `window` (shown alone); leaves it hidden with every slice scored.
bool round(gui::MainWindow& window, int frames, std::map<std::string, Pass>& out) {
  auto* dock = window.findChild<QDockWidget*>("ai-dock");
  if (dock) dock->show();
  window.show();
  if (!settle(window)) return false;
  spin([] { return false; }, 300);  // let the window's first frames and thumbnails land
  out["idle"].add(measure(window, frames, false));
  window.ai().engine().rerun();  // the engine starts over on the same series while we scroll
  ++runsStarted;
  out["busy"].add(measure(window, frames, true));
  // For scale: the viewer alone (AI dock hidden, engine cancelled), same scroll.
  window.ai().engine().cancel();
  if (dock) dock->hide();
  out["view"].add(measure(window, frames, false));
  if (dock) dock->show();
  window.ai().engine().rerun();
  const bool ok = settle(window);
  window.hide();
  return ok;
}

void print(const char* surface, const char* name, const Pass& p) {
  const Stats w = stats(p.wall), c = stats(p.cpu);
  std::printf("%-6s %-4s %5d %5d  %6.2f %6.2f %6.2f %4d %4d   %6.2f %6.2f %6.2f  %7.0f  %6.2f\n", surface, name,
              p.frames, p.busyFrames, w.p50, w.p95, w.max, w.over16, w.over50, c.p50, c.p95, c.max,
              p.faults / std::max(1, p.frames), stats(p.stalls).max);
}

}  // namespace

int main(int argc, char** argv) {
  int slices = 300, frames = 300, rounds = 2;
  fs::path model, work = fs::temp_directory_path() / "lunglens-bench-ai";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--slices")) slices = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--frames")) frames = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
    if (!std::strcmp(argv[i], "--work")) work = argv[i + 1];
  }
  // The series: a COVID phantom with `slices` slices, written once as DICOM and reused.
  const fs::path study = work / ("phantom-" + std::to_string(slices));
  if (!fs::exists(study / "dicom")) {
    core::phantom::PhantomParams params;
    params.seed = 7;
    params.slices = slices;
    std::printf("making a %d-slice phantom in %s...\n", slices, study.string().c_str());
    const auto phantom = core::phantom::generatePhantom(params);
    core::phantom::writePhantomStudy(phantom, study);
  }
  if (model.empty()) {
    for (const auto& b : core::inference::listBundles({core::executableDir() / "models"}))
      if (b.manifest && b.manifest->task == core::inference::Task::Diagnosis) {
        model = b.dir;
        break;
      }
  }
  if (model.empty()) model = test::writeDevBundles(work / "bundles").diagnosis;

  ui::VtkViewWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  const std::pair<const char*, ui::ViewSurfaceKind> kinds[2] = {{"widget", ui::ViewSurfaceKind::Widget},
                                                                {"window", ui::ViewSurfaceKind::Window}};
  std::unique_ptr<gui::MainWindow> windows[2];
  for (int k = 0; k < 2; ++k) {
    ui::VtkViewWidget::setSurfaceKind(kinds[k].second);
    windows[k] = std::make_unique<gui::MainWindow>();
    auto& window = *windows[k];
    window.setInteractiveErrors(false);
    window.openPath(QString::fromStdString((study / "dicom").string()));
    ui::ai::AiOptions options;
    options.model = model;
    options.heatmap = true;  // the heatmap layer on, as a reader would have it
    window.ai().start(options);
  }
  for (auto& w : windows)
    if (!settle(*w)) {
      std::fprintf(stderr, "the series did not load and score in 10 minutes\n");
      return 1;
    }
  const auto* engineModel = windows[0]->ai().engine().diagnosisModel();
  std::printf("series %d slices, model %s (%s), inference threads %d, cores %d, %d frames x %d rounds per pass\n",
              windows[0]->viewer().sliceCount(), engineModel->manifest().name.c_str(),
              engineModel->manifest().architecture.c_str(), core::inference::inferenceThreads(),
              QThread::idealThreadCount(), frames, rounds);

  std::map<std::string, Pass> results[2];
  for (int r = 0; r < rounds; ++r)
    for (int i = 0; i < 2; ++i) {
      const int k = r % 2 ? 1 - i : i;  // ABBA...
      if (!round(*windows[k], frames, results[k])) {
        std::fprintf(stderr, "the %s window did not settle after round %d\n", kinds[k].first, r);
        return 1;
      }
    }
  std::printf("(ms; wall = frame time incl. lateness against its 60 Hz slot; cpu = UI thread's own CPU per frame)\n");
  std::printf("%-6s %-4s %5s %5s  %6s %6s %6s %4s %4s   %6s %6s %6s  %7s  %6s\n", "surface", "pass", "frames", "busy",
              "wall50", "wall95", "max", ">16", ">50", "cpu50", "cpu95", "max", "faults/f", "stall");
  for (int k = 0; k < 2; ++k)
    for (const char* pass : {"idle", "busy", "view"}) print(kinds[k].first, pass, results[k][pass]);
  const auto p95 = [&](int k, const char* pass) { return stats(results[k][pass].wall).p95; };
  const auto cpu95 = [&](int k, const char* pass) { return stats(results[k][pass].cpu).p95; };
  std::printf("runs of the engine during the busy scrolls: %d\n", runsStarted);
  for (const char* pass : {"idle", "busy", "view"})
    std::printf("%s: wall p95 window / widget = %.2f; UI-thread CPU p95 window / widget = %.2f\n", pass,
                p95(1, pass) / std::max(0.01, p95(0, pass)), cpu95(1, pass) / std::max(0.01, cpu95(0, pass)));
  std::printf("p95 busy / idle: widget %.2f, window %.2f\n", p95(0, "busy") / std::max(0.01, p95(0, "idle")),
              p95(1, "busy") / std::max(0.01, p95(1, "idle")));
  return 0;
}
