// annotate_screenshot: makes docs/screenshots/gui-export.png the way a reader would, in the real main window:
// opens a series at a slice with the AI models (heatmap on), waits for every slice to be scored, draws one
// annotation of each kind through the tools, bookmarks the slice and exports the current view at 2x with
// AnnotationTools::exportImages (the Export dialog's path). Also saves the window itself beside it.
//   annotate_screenshot SERIES_DIR SLICE OUT.png [MODEL_DIR [MANIFESTATION_DIR]]
#include <QApplication>
#include <QSignalSpy>
#include <QTest>
#include <iostream>

#include "app/gui/main_window.h"
#include "core/annotation/annotation_store.h"
#include "tests/ui/qt_app.h"
#include "ui/ai/ai_assist.h"
#include "ui/annotate/annotation_tools.h"
#include "ui/annotate/view_placement.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"
#include "ui/common/grab_window.h"

using namespace lunglens;
namespace ann = core::annotation;
using ui::annotate::Tool;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: annotate_screenshot SERIES_DIR SLICE OUT.png [MODEL_DIR [MANIFESTATION_DIR]]\n";
    return 2;
  }
  ui::VtkViewWidget::setDefaultSurfaceFormat();
  QApplication app(argc, argv);
  const std::filesystem::path out = argv[3];
  gui::MainWindow window;
  window.setInteractiveErrors(false);
  window.annotate().setInteractiveErrors(false);
  window.annotate().setStore(ann::AnnotationStore(out.parent_path() / "annotations"));
  window.resize(1500, 950);
  window.show();
  if (!QTest::qWaitForWindowExposed(&window)) return 1;
  window.setPatientDataHidden(true);
  QSignalSpy settled(&window, &gui::MainWindow::settled);
  gui::OpenRequest request;
  request.slice = std::stoi(argv[2]);
  window.openPath(argv[1], request);
  ui::ai::AiOptions ai;
  if (argc > 4) ai.model = argv[4];
  if (argc > 5) ai.manifestation_model = argv[5];
  ai.heatmap = argc > 4;
  QSignalSpy aiSettled(&window.ai(), &ui::ai::AiAssist::settled);
  window.ai().start(ai);
  if (!settled.wait(120000)) return 1;
  if (!window.ai().settledNow() && !aiSettled.wait(600000)) return 1;
  QTest::qWait(300);

  auto& tools = window.annotate();
  auto& model = window.viewer();
  auto draw = [&](Tool tool, std::vector<ann::VoxelPoint> pts) {
    tools.setTool(tool);
    const auto place = ui::annotate::viewPlacement(model);
    tools.presenter().press(place.toPainter(pts.front()), place);
    for (std::size_t i = 1; i < pts.size(); ++i) tools.presenter().move(place.toPainter(pts[i]), place);
    tools.presenter().release(place.toPainter(pts.back()), place);
  };
  // Voxel coordinates of the 512 x 512 slice (volume order; the view flips as radiology wants).
  draw(Tool::Length, {{345, 200}, {415, 200}});
  draw(Tool::Ellipse, {{140, 240}, {185, 266}});
  std::vector<ann::VoxelPoint> blob;
  for (int i = 0; i <= 24; ++i) {
    const double a = i * 2 * 3.14159265 / 24;
    blob.push_back({150 + 28 * std::cos(a) + 6 * std::cos(3 * a), 330 + 20 * std::sin(a)});
  }
  draw(Tool::Freehand, blob);
  draw(Tool::Arrow, {{420, 330}, {372, 300}});
  tools.presenter().setTextPrompt([](const std::string&) { return std::optional<std::string>("vessel"); });
  draw(Tool::Text, {{425, 340}});
  tools.document()->select(std::nullopt);
  tools.setTool(Tool::Select);
  tools.bookmarkCurrentSlice("key image");
  QTest::qWait(300);

  ui::annotate::ExportRequest exportRequest;
  exportRequest.file = out;
  exportRequest.size.scale = 2.0;
  exportRequest.overwrite = true;
  try {
    for (const auto& f : tools.exportImages(exportRequest)) std::cout << "wrote " << f << "\n";
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  const auto windowShot = out.parent_path() / (out.stem().string() + "-window.png");
  lunglens::ui::grabWithViews(window).save(QString::fromStdString(windowShot.string()));
  std::cout << "wrote " << windowShot << "\n";
  return 0;
}
