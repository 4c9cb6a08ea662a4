#include "ui/common/grab_window.h"

#include <QPainter>
#include <QWidget>

#include "ui/common/vtk_view_widget.h"

namespace lunglens::ui {

QPixmap grabWithViews(QWidget& widget) {
  QPixmap shot = widget.grab();
  QList<VtkViewWidget*> views = widget.findChildren<VtkViewWidget*>();
  if (auto* self = qobject_cast<VtkViewWidget*>(&widget)) views.prepend(self);
  QPainter painter(&shot);
  for (VtkViewWidget* view : views) {
    // A QOpenGLWidget surface is already in QWidget::grab()'s picture.
    if (view->surface() != ViewSurfaceKind::Window || !view->isVisibleTo(&widget)) continue;
    const QImage frame = view->grabFramebuffer();
    if (frame.isNull()) continue;
    const QPoint at = view->mapTo(&widget, QPoint(0, 0));
    painter.drawImage(QRect(at, view->size()), frame);
  }
  painter.end();  // before the copy below: a pixmap copied while a painter is active on it may miss the painting
  return shot;
}

}  // namespace lunglens::ui
