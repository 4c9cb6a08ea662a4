#pragma once
// Embeds VTK rendering in a Qt6 widget. Debian's VTK Qt module is built for Qt5, so this is our own bridge: a
// QOpenGLWidget whose context VTK borrows (vtkGenericOpenGLRenderWindow, no context of its own). VTK renders into
// its own framebuffers inside paintGL; the result is blitted into the widget's framebuffer.
// Call setDefaultSurfaceFormat() before constructing the QApplication.
#include <QOpenGLWidget>
#include <vtkNew.h>
#include <vtkSmartPointer.h>

class vtkGenericOpenGLRenderWindow;
class vtkRenderer;
class vtkObject;

namespace lunglens::ui {

class VtkViewWidget : public QOpenGLWidget {
  Q_OBJECT
 public:
  // OpenGL 3.2 core profile, as VTK's OpenGL2 backend needs; must precede QApplication.
  static void setDefaultSurfaceFormat();

  explicit VtkViewWidget(QWidget* parent = nullptr);
  ~VtkViewWidget() override;

  vtkGenericOpenGLRenderWindow* renderWindow() const;
  vtkRenderer* renderer() const;  // the one renderer filling the view; add props to it

 protected:
  void initializeGL() override;
  void resizeGL(int w, int h) override;
  void paintGL() override;
  // Called in paintGL just before VTK renders: subclasses bring their props up to date here.
  virtual void prepareRender() {}

 private:
  void onRenderWindowEvent(vtkObject* caller, unsigned long event, void* data);
  // Frees VTK's GL objects while their context still exists (the widget is destroyed, or Qt recreates the context
  // when the widget moves to another window); initializeGL starts afresh.
  void releaseGraphics();

  vtkSmartPointer<vtkGenericOpenGLRenderWindow> renderWindow_;
  vtkSmartPointer<vtkRenderer> renderer_;
  bool contextReady_ = false;
  bool inPaint_ = false;
};

}  // namespace lunglens::ui
