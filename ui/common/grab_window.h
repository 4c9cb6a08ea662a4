#pragma once
// A screenshot of a widget with its VTK views in it. QWidget::grab() renders widgets only: a view presented through
// a native OpenGL window (VtkViewWidget's Window surface) would come out black, so each visible view's frame is
// drawn over its place.
#include <QPixmap>

class QWidget;

namespace lunglens::ui {

QPixmap grabWithViews(QWidget& widget);

}  // namespace lunglens::ui
