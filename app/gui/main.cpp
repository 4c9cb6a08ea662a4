// lunglens: the viewer. With --screenshot it loads, renders, saves the window as PNG and exits (for tests, docs and
// machines without a screen). Exit codes as lunglens-cli: 0 ok, 1 bad input, 2 usage, 3 internal error.
#include <QApplication>
#include <QPalette>
#include <QStyleFactory>
#include <QTimer>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"  // exit codes shared with lunglens-cli
#include "app/gui/demo_study.h"
#include "app/gui/gui_options.h"
#include "app/gui/main_window.h"
#include "core/common/error.h"
#include "ui/common/vtk_view_widget.h"

using namespace lunglens;

namespace {

// Dark grey surroundings keep the eye adapted to the image, as reading rooms do.
void applyDarkTheme(QApplication& app) {
  app.setStyle(QStyleFactory::create("Fusion"));
  QPalette p;
  const QColor window(37, 37, 38), base(24, 24, 25), text(220, 220, 220), accent(58, 110, 165);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::red);
  p.setColor(QPalette::Highlight, accent);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, accent.lighter(140));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(120, 120, 120));
  app.setPalette(p);
}

}  // namespace

int main(int argc, char** argv) {
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
  applyDarkTheme(app);

  QString folder = QString::fromStdString(options.folder);
  if (options.demo) {
    try {
      folder = QString::fromStdString(gui::demoStudyDir().string());
    } catch (const core::InputError& e) {
      std::cerr << "lunglens: " << e.what() << "\n";
      return cli::kBadInput;
    }
  }

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
    QObject::connect(&window, &gui::MainWindow::settled, &app, [&, target]() {
      // Once more through the event loop, so pending repaints (thumbnails, overlay) are in the picture.
      QTimer::singleShot(0, &app, [&, target]() {
        if (exitCode != cli::kOk) return;  // an error already ended the run
        if (!window.grab().save(target, "PNG")) {
          std::cerr << "lunglens: could not write the screenshot " << target.toStdString() << "\n";
          exitCode = cli::kBadInput;
        }
        app.exit(exitCode);
      });
    });
  }
  window.show();
  if (!folder.isEmpty()) {
    gui::OpenRequest request;
    request.series_uid = options.series_uid;
    request.slice = options.slice;
    request.window = options.window;
    window.openPath(folder, request);
  }
  const int rc = app.exec();
  return screenshot ? exitCode : rc;
}
