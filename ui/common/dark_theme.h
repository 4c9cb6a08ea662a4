#pragma once
// LungLens' look: Fusion with a dark palette. Dark surroundings keep the eye adapted to the image, as reading rooms do.
class QApplication;

namespace lunglens::ui {

void applyDarkTheme(QApplication& app);

}  // namespace lunglens::ui
