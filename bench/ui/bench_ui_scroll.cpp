// bench_ui_scroll [--frames N] [--runs R] [--series DIR]: frame times of the slice view while scrolling a real CT
// series, in one run, against baselines:
//   scroll  - SliceView showing the next slice each frame (reused vtkImageData), with its overlay text
//   no-text - the same with the overlay text hidden
//   redraw  - SliceView drawing the same slice again (no new pixels)
//   msaa8   - SliceView scrolling with VTK's default 8x multisampling (which VtkViewWidget turns off)
//   empty   - a VtkViewWidget with nothing to draw: the fixed cost of a frame (clear, VTK frame, blit)
//   naive   - a view that makes a new vtkImageData and vtkImageActor for every slice (same camera, no text), as a
//             first attempt would
// A frame = the widget's paintGL (our upload + VTK render + blit into the widget's framebuffer) and glFinish, so
// the numbers are drawing only: no read-back, no compositing into the window.
// Run under Xvfb: xvfb-run -a -s "-screen 0 1920x1200x24" build/bin/bench_ui_scroll
#include <QApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkNew.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include "bench/common/work_meter.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "ui/common/vtk_view_widget.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

using namespace lunglens;

namespace {

// The baseline: every frame builds its image and actor from scratch (same windowing, same camera).
class NaiveSliceView : public ui::VtkViewWidget {
 public:
  explicit NaiveSliceView(ui::viewer::ViewerModel* model) : model_(model) {}

 protected:
  void prepareRender() override {
    if (actor_) renderer()->RemoveViewProp(actor_);
    const auto& m = *model_;
    const auto& layout = m.layout();
    auto image = vtkSmartPointer<vtkImageData>::New();
    image->SetDimensions(layout.cols(), layout.rows(), 1);
    image->SetSpacing(layout.columnSpacing_mm(), layout.rowSpacing_mm(), 1.0);
    image->SetOrigin(layout.columnSpacing_mm() / 2, layout.rowSpacing_mm() / 2, 0.0);
    image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
    const auto grey = core::volume::windowSlice(m.volume()->slice(m.slice()),
                                                m.volume()->geometry().voxelsPerSlice(), m.window());
    std::memcpy(image->GetScalarPointer(), grey.data(), grey.size());
    actor_ = vtkSmartPointer<vtkImageActor>::New();
    actor_->GetMapper()->SetInputData(image);
    actor_->GetMapper()->BorderOn();
    renderer()->AddViewProp(actor_);
    // The same camera as SliceView, so both cover the same pixels.
    const auto& cam = m.camera();
    auto* camera = renderer()->GetActiveCamera();
    camera->ParallelProjectionOn();
    camera->SetFocalPoint(cam.centre_x_mm, cam.centre_y_mm, 0.0);
    camera->SetPosition(cam.centre_x_mm, cam.centre_y_mm, -1000.0);
    camera->SetViewUp(0.0, -1.0, 0.0);
    camera->SetParallelScale(m.viewHeight_px() / 2.0 / layout.pixelsPerMm(cam, m.viewWidth_px(), m.viewHeight_px()));
    camera->SetClippingRange(500.0, 1500.0);
  }

 private:
  ui::viewer::ViewerModel* model_;
  vtkSmartPointer<vtkImageActor> actor_;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Milliseconds for one frame drawn after `step`.
template <class View>
double frameMs(View& view, const std::function<void()>& step) {
  step();
  QElapsedTimer timer;
  timer.start();
  view.drawNow();
  return timer.nsecsElapsed() / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int frames = 60, runs = 3;
  std::string dir = std::string(LUNGLENS_SHARED_DATA_DIR) +
                    "/dicom/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--frames")) frames = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
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
  const auto volume = core::dicom::loadSeries(catalog.series.front());
  const int slices = volume->slices();

  ui::viewer::ViewerModel model;
  model.setVolume(volume, {}, 0);
  ui::viewer::SliceView view(&model);
  NaiveSliceView naive(&model);
  ui::VtkViewWidget empty;
  ui::viewer::SliceView msaa(&model);
  msaa.renderWindow()->SetMultiSamples(8);
  for (ui::VtkViewWidget* w : std::initializer_list<ui::VtkViewWidget*>{&view, &naive, &empty, &msaa}) {
    w->resize(1024, 1024);
    w->show();
    w->grabFramebuffer();  // makes the GL context and runs initializeGL
  }
  model.setViewport(1024, 1024);
  int next = 0;
  auto scroll = [&]() { model.setSlice(++next % slices); };
  auto redraw = [&]() { view.update(); };
  for (int i = 0; i < 10; ++i) frameMs(view, scroll), frameMs(naive, scroll);  // warm up shaders and caches

  std::printf("series %s: %d slices of %dx%d, view 1024x1024, %d frames x %d runs (median ms/frame)\n",
              catalog.series.front().series_description.c_str(), slices, volume->geometry().cols,
              volume->geometry().rows, frames, runs);
  std::printf("%-7s %7s %7s %7s %7s %7s %7s  %-13s %-13s %-14s %-12s\n", "run", "scroll", "no-text", "redraw",
              "naive", "empty", "msaa8", "no-text/naive", "scroll/redraw", "scroll/no-text", "scroll/msaa8");
  auto row = [](const char* name, double sc, double nt, double rd, double nv, double em, double ms) {
    std::printf("%-7s %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f  %-13.2f %-13.2f %-14.2f %-12.2f\n", name, sc, nt, rd, nv, em,
                ms, nt / nv, sc / rd, sc / nt, sc / ms);
  };
  std::vector<double> s, t, r, n, e, a;
  for (int run = 0; run < runs; ++run) {
    // Interleaved frame by frame, so that load from other processes falls on all alike.
    std::vector<double> fs, ft, fr, fn, fe, fa;
    for (int i = 0; i < frames; ++i) {
      fs.push_back(frameMs(view, scroll));
      view.setOverlayVisible(false);
      ft.push_back(frameMs(view, scroll));
      view.setOverlayVisible(true);
      fr.push_back(frameMs(view, redraw));
      fn.push_back(frameMs(naive, scroll));
      fe.push_back(frameMs(empty, [] {}));
      fa.push_back(frameMs(msaa, scroll));
    }
    s.push_back(median(fs));
    t.push_back(median(ft));
    r.push_back(median(fr));
    n.push_back(median(fn));
    e.push_back(median(fe));
    a.push_back(median(fa));
    row(std::to_string(run + 1).c_str(), s.back(), t.back(), r.back(), n.back(), e.back(), a.back());
  }
  row("median", median(s), median(t), median(r), median(n), median(e), median(a));
  // Page faults per frame (whole process): the reused image data should touch no fresh memory while scrolling;
  // the naive view builds its VTK objects anew every frame.
  auto faultsPerFrame = [&](auto& v, const std::function<void()>& step) {
    const lunglens::bench::WorkMeter meter;
    for (int i = 0; i < frames; ++i) frameMs(v, step);
    return meter.elapsed().minor_faults / frames;
  };
  const double scrollFaults = faultsPerFrame(view, scroll), naiveFaults = faultsPerFrame(naive, scroll);
  std::printf("minor page faults per frame: scroll %.0f, naive %.0f\n", scrollFaults, naiveFaults);
  return 0;
}
