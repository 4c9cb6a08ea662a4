#pragma once
// One Qt application object per test process, made on first use (gtest_main owns main()).
class QCoreApplication;

namespace lunglens::test {

QCoreApplication& coreApp();  // a QCoreApplication (no display needed)
QCoreApplication& guiApp();   // a QApplication with VTK's OpenGL surface format (needs a display, e.g. Xvfb)

}  // namespace lunglens::test
