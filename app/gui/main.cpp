// lunglens: the viewer. With --screenshot it loads, renders, saves the window as PNG and exits (for tests, docs and
// machines without a screen). Exit codes as lunglens-cli: 0 ok, 1 bad input, 2 usage, 3 internal error.
#include <QApplication>
#include <QTimer>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"  // exit codes shared with lunglens-cli
#include "app/gui/gui_options.h"
#include "app/gui/main_window.h"
#include "core/common/allocator_policy.h"
#include "core/common/openmp_policy.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/lung_assist.h"
#include "ui/common/dark_theme.h"
#include "ui/common/vtk_view_widget.h"
#include "ui/common/grab_window.h"

using namespace lunglens;

int main(int argc, char** argv) {
  core::ensurePassiveOpenMpWait(argv);  // may start the program again with OMP_WAIT_POLICY=PASSIVE (says why)
  core::applyAllocatorPolicy();  // before anything large is allocated (core/common/allocator_policy.h says why)
  std::vector<std::string> args(argv + 1, argv + argc);
  gui::GuiOptions options;
  try {
    options = gui::parseGuiOptions(args);
  } catch (const cli::UsageError& e) {
    std::cerr << "lunglens: " << e.what() << "\n" << gui::guiUsage();
    return cli::kUsage;
  }
  if (options.help) {
    std::cout << gui::guiUsage();
    return cli::kOk;
  }

  ui::VtkViewWidget::setDefaultSurfaceFormat();  // before QApplication, as VTK's OpenGL needs 3.2 core
  QApplication app(argc, argv);
  QApplication::setApplicationName("LungLens");
  ui::applyDarkTheme(app);

  gui::MainWindow window;
  const bool screenshot = !options.screenshot.empty();
  window.setInteractiveErrors(!screenshot);
  if (options.hide_patient) window.setPatientDataHidden(true);
  int exitCode = cli::kOk;
  if (screenshot) {
    const QString target = QString::fromStdString(options.screenshot);
    QObject::connect(&window, &gui::MainWindow::failed, &app, [&](const QString& message) {
      std::cerr << "lunglens: " << message.toStdString() << "\n";
      exitCode = cli::kBadInput;
      app.exit(exitCode);
    });
    // The picture is taken once the viewer has settled and, with --wait-for-ai, the AI too (either may be last).
    auto shoot = [&, target, taken = std::make_shared<bool>(false)]() {
      if (*taken || !window.settledNow() || (options.wait_for_ai && !window.ai().settledNow()) ||
          (options.lung && window.ai().lung().busy()))
        return;
      *taken = true;
      // Once more through the event loop, so pending repaints (thumbnails, overlay) are in the picture.
      QTimer::singleShot(0, &app, [&, target]() {
        if (exitCode != cli::kOk) return;  // an error already ended the run
        if (!lunglens::ui::grabWithViews(window).save(target, "PNG")) {
          std::cerr << "lunglens: could not write the screenshot " << target.toStdString() << "\n";
          exitCode = cli::kBadInput;
        }
        app.exit(exitCode);
      });
    };
    QObject::connect(&window, &gui::MainWindow::settled, &app, shoot);
    QObject::connect(&window.ai(), &ui::ai::AiAssist::settled, &app, shoot);
    QObject::connect(&window.ai().lung(), &ui::ai::LungAssist::finished, &app, shoot);
  }
  window.show();
  gui::OpenRequest request;
  request.series_uid = options.series_uid;
  request.slice = options.slice;
  request.window = options.window;
  if (options.demo) {
    window.openDemo(request);
  } else if (!options.folder.empty()) {
    window.openPath(QString::fromStdString(options.folder), request);
  }
  // After the open request, so a screenshot never settles on the empty window before it (no model: AI settles now).
  ui::ai::AiOptions ai;
  ai.model = options.model;
  ai.manifestation_model = options.manifestation_model;
  ai.heatmap = options.heatmap;
  if (options.lung) {
    window.ai().lung().setContourShown(true);
    window.ai().lung().setOpacitiesShown(true);
  }
  window.ai().start(ai);
  const int rc = app.exec();
  return screenshot ? exitCode : rc;
}
