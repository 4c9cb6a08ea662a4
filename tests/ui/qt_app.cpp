#include "tests/ui/qt_app.h"

#include <QApplication>
#include <QCoreApplication>
#include <cstdlib>
#include <gtest/gtest.h>

#include "ui/common/dark_theme.h"
#include "ui/common/vtk_view_widget.h"

namespace lunglens::test {

namespace {
int argc = 1;
char name[] = "lunglens-test";
char* argv[] = {name, nullptr};
}  // namespace

QCoreApplication& coreApp() {
  if (!QCoreApplication::instance()) new QCoreApplication(argc, argv);
  return *QCoreApplication::instance();
}

QCoreApplication& guiApp() {
  if (!QCoreApplication::instance()) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM")) {
      ADD_FAILURE() << "UI tests need a display: run them under xvfb-run (scripts/test does)";
      std::exit(1);
    }
    ui::VtkViewWidget::setDefaultSurfaceFormat();
    auto* app = new QApplication(argc, argv);
    ui::applyDarkTheme(*app);
  }
  return *QCoreApplication::instance();
}

}  // namespace lunglens::test
