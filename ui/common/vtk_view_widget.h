#pragma once
// Embeds VTK rendering in a Qt6 widget. Debian's VTK Qt module is built for Qt5, so this is our own bridge: VTK
// borrows an OpenGL context from Qt (vtkGenericOpenGLRenderWindow, no context of its own), renders into its own
// framebuffers, and the frame is blitted onto the view's surface.
//
// Two surfaces present the frame (docs/PERFORMANCE.md, "Presenting a frame"):
//   Window - a native OpenGL window embedded with QWidget::createWindowContainer (what VTK's QVTKOpenGLWindow does):
//            a frame is drawn and swapped on its own; the rest of the main window stays a raster backing store.
//   Widget - a QOpenGLWidget: Qt composes the whole top-level window through OpenGL on every update, which on a
//            software renderer costs more than the frame itself.
// The view itself is a plain QWidget either way: it gets the mouse, wheel and keys (the native window forwards
// them), so subclasses and tests see one widget. Call setDefaultSurfaceFormat() before constructing the
// QApplication. A full-window screenshot must go through grabWithViews() (ui/common/grab_window.h): QWidget::grab()
// cannot see into a native window.
#include <QImage>
#include <QWidget>
#include <vtkSmartPointer.h>

class QOpenGLContext;
class QWindow;
class vtkGenericOpenGLRenderWindow;
class vtkRenderer;
class vtkObject;

namespace lunglens::ui {

class ViewSurface;

enum class ViewSurfaceKind { Window, Widget };

class VtkViewWidget : public QWidget {
  Q_OBJECT
 public:
  // OpenGL 3.2 core profile, as VTK's OpenGL2 backend needs; must precede QApplication.
  static void setDefaultSurfaceFormat();
  // The surface views made from now on use. Default: Window, or LUNGLENS_VIEW_SURFACE=widget|window.
  static void setSurfaceKind(ViewSurfaceKind kind);
  static ViewSurfaceKind surfaceKind();

  explicit VtkViewWidget(QWidget* parent = nullptr);
  ~VtkViewWidget() override;

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkRenderer* renderer() const;  // the one renderer filling the view; add props to it
  ViewSurfaceKind surface() const { return kind_; }
  // The native window of a Window surface (it receives the user's input and hands it to this widget); else null.
  QWindow* nativeWindow() const;

  // Schedules a new frame (hides QWidget::update, which would only repaint the empty host widget).
  void update();
  // Renders a frame now and returns it (device pixels).
  QImage grabFramebuffer();
  // Waits until the GL commands of the last frame are done (benchmarks: a frame's time includes drawing it).
  void finishFrame();
  // Draws a frame now, outside the event loop, and waits for it (benchmarks that time the drawing alone).
  void drawNow();

  // Called by the surface with its context current: draw one frame into `framebuffer` (w x h device pixels).
  void renderFrame(unsigned framebuffer, int w, int h);
  void contextCreated(QOpenGLContext* context);
  // Frees VTK's GL objects while their context still exists (the view is destroyed, or Qt recreates the context
  // when the widget moves to another window); the next contextCreated() starts afresh.
  void releaseGraphics();

 protected:
  // Called just before VTK renders: subclasses bring their props up to date here.
  virtual void prepareRender() {}
  bool event(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void onRenderWindowEvent(vtkObject* caller, unsigned long event, void* data);

  ViewSurfaceKind kind_;
  ViewSurface* surface_ = nullptr;  // owned through its widget (a child of this one)
  vtkSmartPointer<vtkGenericOpenGLRenderWindow> renderWindow_;
  vtkSmartPointer<vtkRenderer> renderer_;
  bool contextReady_ = false;
  bool inPaint_ = false;
};

}  // namespace lunglens::ui
