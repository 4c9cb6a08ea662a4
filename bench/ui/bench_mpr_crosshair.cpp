// bench_mpr_crosshair [--slices 300] [--frames N] [--runs R] [--size PX] [--series DIR]: the cost of one crosshair
// move in the MPR 1x3 layout (new axial, coronal and sagittal planes: reformat, window, upload, VTK render of all
// three views) against the axial-only scroll of bench_ui_scroll (SliceView showing the next slice), in one run,
// interleaved frame by frame so outside load falls on both alike.
// The series: the real Lung-PET-CT-Dx 5 mm series (512x512) stacked to --slices slices at 1 mm (the size of a thin-
// slice chest CT; the pixels repeat, the work does not depend on them).
// Columns (median ms per update): axial = SliceView scroll; mpr3 = setCursor(x+1, y+1, z+1) + paint of the three
//   views; reformat = the same move's three renderPlane calls only (CPU, no drawing); and page faults (ru_minflt)
//   per update for axial and mpr3.
// Run under Xvfb: xvfb-run -a -s "-screen 0 1920x1200x24" build/bin/bench_mpr_crosshair
#include <QApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "ui/common/vtk_view_widget.h"
#include "ui/mpr/mpr_model.h"
#include "ui/mpr/mpr_view.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

using namespace lunglens;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long minorFaults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

}  // namespace

int main(int argc, char** argv) {
  int slices = 300, frames = 40, runs = 3, size = 640;
  std::string dir = std::string(LUNGLENS_SHARED_DATA_DIR) +
                    "/dicom/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--slices")) slices = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--frames")) frames = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--size")) size = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--series")) dir = argv[i + 1];
  }
  ui::VtkViewWidget::setDefaultSurfaceFormat();
  // Drawing alone is timed here (no presentation): the QOpenGLWidget surface, as in the numbers recorded before
  // the native-window surface existed. bench_ai_scroll compares the two surfaces whole.
  ui::VtkViewWidget::setSurfaceKind(ui::ViewSurfaceKind::Widget);
  QApplication app(argc, argv);
  const auto catalog = core::dicom::scan(dir);
  if (catalog.series.empty()) {
    std::fprintf(stderr, "no series in %s\n", dir.c_str());
    return 1;
  }
  const auto real = core::dicom::loadSeries(catalog.series.front());
  core::volume::Geometry g = real->geometry();
  g.slices = slices;
  g.spacing_mm[2] = 1.0;
  auto volume = std::make_shared<core::volume::Volume>(g);
  for (int z = 0; z < slices; ++z) {
    const int src = (z / real->slices()) % 2 == 0 ? z % real->slices() : real->slices() - 1 - z % real->slices();
    std::memcpy(volume->mutableSlice(z), real->slice(src), g.voxelsPerSlice() * sizeof(std::int16_t));
  }
  volume->markAllReady();

  ui::viewer::ViewerModel axialModel;
  axialModel.setVolume(volume, {}, 0);
  ui::viewer::SliceView axial(&axialModel);
  ui::mpr::MprModel mpr;
  mpr.setVolume(volume);
  std::vector<std::unique_ptr<ui::mpr::MprView>> views;
  for (int v = 0; v < 3; ++v) views.push_back(std::make_unique<ui::mpr::MprView>(&mpr, v));
  std::vector<ui::VtkViewWidget*> all{&axial};
  for (auto& v : views) all.push_back(v.get());
  for (ui::VtkViewWidget* w : all) {
    w->resize(size, size);
    w->show();
    w->grabFramebuffer();
  }
  axialModel.setViewport(size, size);
  for (int v = 0; v < 3; ++v) mpr.setViewport(v, size, size);

  int nextAxial = 0, step = 0;
  auto axialFrame = [&]() {
    axialModel.setSlice(++nextAxial % slices);
    QElapsedTimer t;
    t.start();
    axial.drawNow();
    return t.nsecsElapsed() / 1e6;
  };
  // The crosshair walks diagonally through the volume: every update changes all three planes.
  auto nextCursor = [&]() {
    ++step;
    return std::array<int, 3>{(g.cols / 4 + step) % g.cols, (g.rows / 4 + step) % g.rows, step % slices};
  };
  auto mprFrame = [&]() {
    QElapsedTimer t;
    t.start();
    mpr.setCursor(nextCursor());
    for (auto& v : views) v->drawNow();
    return t.nsecsElapsed() / 1e6;
  };
  auto reformatOnly = [&]() {
    const auto c = nextCursor();
    QElapsedTimer t;
    t.start();
    for (int v = 0; v < 3; ++v) {
      const auto& f = mpr.frame(v);
      const int d = c[static_cast<std::size_t>(f.depth_axis)];
      volatile auto n = core::volume::renderPlane(*volume, f, d, d).size();
      (void)n;
    }
    return t.nsecsElapsed() / 1e6;
  };
  for (int i = 0; i < 5; ++i) axialFrame(), mprFrame();  // warm up shaders and caches

  std::printf("volume %d slices of %dx%d (1 mm), views %dx%d, %d frames x %d runs (median ms per update)\n", slices,
              g.cols, g.rows, size, size, frames, runs);
  std::printf("%-7s %8s %8s %9s  %-10s %-14s %-14s\n", "run", "axial", "mpr3", "reformat", "mpr3/axial",
              "faults/axial", "faults/mpr3");
  std::vector<double> A, M, R, FA, FM;
  for (int run = 0; run < runs; ++run) {
    std::vector<double> a, m, r;
    long fa = 0, fm = 0;
    for (int i = 0; i < frames; ++i) {
      long f0 = minorFaults();
      a.push_back(axialFrame());
      long f1 = minorFaults();
      m.push_back(mprFrame());
      long f2 = minorFaults();
      r.push_back(reformatOnly());
      fa += f1 - f0;
      fm += f2 - f1;
    }
    A.push_back(median(a));
    M.push_back(median(m));
    R.push_back(median(r));
    FA.push_back(static_cast<double>(fa) / frames);
    FM.push_back(static_cast<double>(fm) / frames);
    std::printf("%-7d %8.1f %8.1f %9.2f  %-10.2f %-14.1f %-14.1f\n", run + 1, A.back(), M.back(), R.back(),
                M.back() / A.back(), FA.back(), FM.back());
  }
  std::printf("%-7s %8.1f %8.1f %9.2f  %-10.2f %-14.1f %-14.1f\n", "median", median(A), median(M), median(R),
              median(M) / median(A), median(FA), median(FM));
  return 0;
}
