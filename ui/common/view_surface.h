#pragma once
// What a VtkViewWidget draws on: an OpenGL surface that gives VTK its context and shows the frame. Two
// implementations (view_surface.cpp): a QOpenGLWidget, and a native QOpenGLWindow inside a window container.
#include <QImage>

#include "ui/common/vtk_view_widget.h"

class QOpenGLContext;
class QWidget;
class QWindow;

namespace lunglens::ui {

class ViewSurface {
 public:
  virtual ~ViewSurface() = default;
  // The widget the host lays out over its whole area (the surface itself, or the native window's container).
  virtual QWidget* widget() = 0;
  virtual QOpenGLContext* context() const = 0;
  virtual QWindow* nativeWindow() = 0;  // the embedded window (null: none)
  virtual void makeCurrent() = 0;
  virtual void doneCurrent() = 0;
  // Draw a new frame soon (the next event-loop pass, as widgets repaint).
  virtual void requestFrame() = 0;
  virtual QImage grab() = 0;
  // Draws a frame now, bypassing the event loop, and waits for the GL to finish it (benchmarks).
  virtual void drawNow() = 0;
  // The host is going away: no more calls into it.
  virtual void detach() = 0;
  // The host's cursor changed: a native window does not inherit it.
  virtual void setCursorFrom(const QWidget& host) = 0;
};

// Makes the surface of `kind` as a child of `host` (which must outlive its use: detach() before it goes).
ViewSurface* makeViewSurface(ViewSurfaceKind kind, VtkViewWidget* host);

}  // namespace lunglens::ui
