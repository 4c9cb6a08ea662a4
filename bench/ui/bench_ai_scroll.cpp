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
// Run under Xvfb: xvfb-run -a -s "-screen 0 1920x1200x24" build/bin/bench_ai_scroll
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
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
int runsStarted = 1;  // the busy scroll's engine runs (the first is started before it)

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
    view.makeCurrent();
    view.context()->functions()->glFinish();
    view.doneCurrent();
    const double end = clock.nsecsElapsed() / 1e6;
    times.push_back(late + (end - now));
    cpu->push_back(threadCpuMs() - cpuStart);
    next = std::max(next + kFrameMs, end);  // the next slot; never queue up frames already missed
  }
  return times;
}

void print(const char* name, const Stats& s, int frames, int busy) {
  std::printf("%-5s frames %4d  engine busy in %4d  p50 %6.2f ms  p95 %6.2f ms  max %6.2f ms  >16ms %3d  >50ms %3d\n",
              name, frames, busy, s.p50, s.p95, s.max, s.over16, s.over50);
}

}  // namespace

int main(int argc, char** argv) {
  int slices = 300, frames = 300;
  fs::path model, work = fs::temp_directory_path() / "lunglens-bench-ai";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--slices")) slices = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--frames")) frames = std::atoi(argv[i + 1]);
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
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.show();
  window.openPath(QString::fromStdString((study / "dicom").string()));
  ui::ai::AiOptions options;
  options.model = model;
  options.heatmap = true;  // the heatmap layer on, as a reader would have it
  window.ai().start(options);
  if (!spin([&] { return window.settledNow() && window.ai().settledNow() && window.ai().scores().allScored(); },
            600000)) {
    std::fprintf(stderr, "the series did not load and score in 10 minutes\n");
    return 1;
  }
  const auto* engineModel = window.ai().engine().diagnosisModel();
  std::printf("series %d slices, model %s (%s), inference threads %d, cores %d\n", window.viewer().sliceCount(),
              engineModel->manifest().name.c_str(), engineModel->manifest().architecture.c_str(),
              core::inference::inferenceThreads(), QThread::idealThreadCount());

  int idleBusy = 0, busyBusy = 0;
  std::vector<double> idleStalls, busyStalls, idleCpu, busyCpu;
  const bench::WorkMeter idleMeter;
  const auto idle = scroll(window, frames, false, &idleBusy, &idleStalls, &idleCpu);
  const double idleFaults = idleMeter.elapsed().minor_faults / frames;
  window.ai().engine().rerun();  // the engine starts over on the same series while we scroll
  const bench::WorkMeter busyMeter;
  const auto busy = scroll(window, frames, true, &busyBusy, &busyStalls, &busyCpu);
  const double busyFaults = busyMeter.elapsed().minor_faults / frames;  // the engine's work included
  const int scoredAfter = window.ai().scores().scoredCount();
  const int runs = runsStarted;
  // For scale: the viewer alone (AI dock hidden, engine cancelled), same scroll.
  window.ai().engine().cancel();
  if (auto* dock = window.findChild<QDockWidget*>("ai-dock")) dock->hide();
  int viewerBusy = 0;
  std::vector<double> viewerStalls, viewerCpu;
  const bench::WorkMeter viewerMeter;
  const auto viewerOnly = scroll(window, frames, false, &viewerBusy, &viewerStalls, &viewerCpu);
  const double viewerFaults = viewerMeter.elapsed().minor_faults / frames;
  print("idle", stats(idle), frames, idleBusy);
  print("busy", stats(busy), frames, busyBusy);
  print("view", stats(viewerOnly), frames, viewerBusy);
  for (const auto& [name, v] : {std::pair<const char*, const std::vector<double>*>{"idle", &idleCpu},
                                {"busy", &busyCpu},
                                {"view", &viewerCpu}}) {
    const Stats c = stats(*v);
    std::printf("%-5s UI thread CPU per frame: p50 %.2f  p95 %.2f  max %.2f ms\n", name, c.p50, c.p95, c.max);
  }
  std::printf("minor page faults per frame (whole process): idle %.0f, busy %.0f (engine included), view %.0f\n",
              idleFaults, busyFaults, viewerFaults);
  std::printf("longest event-loop pass between frames: idle %.2f ms, busy %.2f ms\n", stats(idleStalls).max,
              stats(busyStalls).max);
  std::printf("runs of the engine during the busy scroll: %d (last one at %d of %d slices)\n", runs, scoredAfter,
              window.viewer().sliceCount());
  const Stats b = stats(busy), i = stats(idle);
  std::printf("p95 busy / idle: %.2f\n", b.p95 / std::max(0.01, i.p95));
  return 0;
}
