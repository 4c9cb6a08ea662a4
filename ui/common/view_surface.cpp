#include "ui/common/view_surface.h"

#include <QCoreApplication>
#include <QEvent>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QOpenGLWidget>
#include <QOpenGLWindow>
#include <QWidget>

namespace lunglens::ui {
namespace {

int devicePixels(int logical, qreal ratio) { return static_cast<int>(logical * ratio); }

// A QOpenGLWidget: Qt composes it with the rest of the window. It lets every input event through to the host.
class WidgetSurface final : public QOpenGLWidget, public ViewSurface {
 public:
  explicit WidgetSurface(VtkViewWidget* host) : QOpenGLWidget(host), host_(host) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setFocusPolicy(Qt::NoFocus);
  }
  QWidget* widget() override { return this; }
  QOpenGLContext* context() const override { return QOpenGLWidget::context(); }
  QWindow* nativeWindow() override { return nullptr; }
  void makeCurrent() override { QOpenGLWidget::makeCurrent(); }
  void doneCurrent() override { QOpenGLWidget::doneCurrent(); }
  void requestFrame() override { QOpenGLWidget::update(); }
  QImage grab() override { return grabFramebuffer(); }
  void drawNow() override {
    makeCurrent();
    paintGL();
    QOpenGLWidget::context()->functions()->glFinish();
    doneCurrent();
  }
  void detach() override { host_ = nullptr; }
  void setCursorFrom(const QWidget&) override {}  // a child widget shows its parent's cursor

 protected:
  void initializeGL() override {
    connect(QOpenGLWidget::context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
      if (host_) host_->releaseGraphics();
    });
    if (host_) host_->contextCreated(QOpenGLWidget::context());
  }
  void paintGL() override {
    const qreal ratio = devicePixelRatioF();
    if (!host_) return;
    host_->renderFrame(defaultFramebufferObject(), devicePixels(width(), ratio), devicePixels(height(), ratio));
  }

 private:
  VtkViewWidget* host_;
};

// A native OpenGL window: a frame is drawn and swapped by itself, without composing the top-level window. Input
// arrives here, not at the host: it is forwarded (positions are the same, the window fills the host). The window
// never takes keyboard focus, so keys and the application's shortcuts keep going through the widget tree.
class WindowSurface final : public QOpenGLWindow, public ViewSurface {
 public:
  explicit WindowSurface(VtkViewWidget* host) : QOpenGLWindow(QOpenGLWindow::NoPartialUpdate), host_(host) {
    setFlag(Qt::WindowDoesNotAcceptFocus);
    container_ = QWidget::createWindowContainer(this, host);  // takes ownership of this window
    container_->setFocusPolicy(Qt::NoFocus);
    container_->setAttribute(Qt::WA_OpaquePaintEvent);
  }
  QWidget* widget() override { return container_; }
  QOpenGLContext* context() const override { return QOpenGLWindow::context(); }
  QWindow* nativeWindow() override { return this; }
  void makeCurrent() override { QOpenGLWindow::makeCurrent(); }
  void doneCurrent() override { QOpenGLWindow::doneCurrent(); }
  // One frame per event-loop pass, drawn and swapped here. QOpenGLWindow::update() would wait for the platform's
  // update timer and, measured in bench_ai_scroll, drew about 1.5 frames per change.
  void requestFrame() override {
    if (framePosted_) return;
    framePosted_ = true;
    QCoreApplication::postEvent(this, new QEvent(frameEventType()), Qt::LowEventPriority);
  }
  // QOpenGLWindow::grabFramebuffer() reads the back buffer, undefined after a swap: draw a frame into an FBO.
  QImage grab() override {
    if (!host_ || !isValid()) return {};
    makeCurrent();
    const qreal ratio = devicePixelRatio();
    const QSize size(devicePixels(width(), ratio), devicePixels(height(), ratio));
    QOpenGLFramebufferObject target(size, QOpenGLFramebufferObject::CombinedDepthStencil);
    host_->renderFrame(target.handle(), size.width(), size.height());
    QImage image = target.toImage();
    image.setDevicePixelRatio(ratio);
    doneCurrent();
    return image;
  }
  void drawNow() override {
    if (!isValid()) return;
    makeCurrent();
    paintGL();
    QOpenGLWindow::context()->swapBuffers(this);
    QOpenGLWindow::context()->functions()->glFinish();
    doneCurrent();
  }
  void detach() override { host_ = nullptr; }
  void setCursorFrom(const QWidget& host) override { setCursor(host.cursor()); }

 protected:
  void initializeGL() override {
    connect(QOpenGLWindow::context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
      if (host_) host_->releaseGraphics();
    });
    if (host_) host_->contextCreated(QOpenGLWindow::context());
  }
  void paintGL() override {
    const qreal ratio = devicePixelRatio();
    if (!host_) return;
    host_->renderFrame(defaultFramebufferObject(), devicePixels(width(), ratio), devicePixels(height(), ratio));
  }
  bool event(QEvent* event) override {
    if (event->type() == frameEventType()) {
      framePosted_ = false;
      drawFrame();
      return true;
    }
    if (!host_ || !forwarded(event->type())) return QOpenGLWindow::event(event);
    if (event->type() == QEvent::MouseButtonPress) takeFocusOnClick();
    return QCoreApplication::sendEvent(host_, event);
  }

 private:
  // What a click on a widget does by itself: activate its top-level window (the window's shortcuts match only in
  // the active window) and give the view the keyboard. The native window, which never takes focus, would not.
  void takeFocusOnClick() {
    QWidget* top = host_->window();
    if (!top->isActiveWindow()) top->activateWindow();
    if (host_->focusPolicy() & Qt::ClickFocus) host_->setFocus(Qt::MouseFocusReason);
  }
  static QEvent::Type frameEventType() {
    static const auto type = static_cast<QEvent::Type>(QEvent::registerEventType());
    return type;
  }
  void drawFrame() {
    if (!isExposed()) return;  // the expose that shows it again draws it
    if (!isValid()) {          // the first frame, which creates the context, is Qt's
      QOpenGLWindow::update();
      return;
    }
    makeCurrent();
    paintGL();
    QOpenGLWindow::context()->swapBuffers(this);
  }
  static bool forwarded(QEvent::Type type) {
    switch (type) {
      case QEvent::MouseButtonPress:
      case QEvent::MouseButtonRelease:
      case QEvent::MouseButtonDblClick:
      case QEvent::MouseMove:
      case QEvent::Wheel:
      case QEvent::KeyPress:
      case QEvent::KeyRelease:
      case QEvent::Leave:
      case QEvent::ContextMenu:
        return true;
      default:
        return false;
    }
  }

  VtkViewWidget* host_;
  QWidget* container_ = nullptr;
  bool framePosted_ = false;
};

}  // namespace

ViewSurface* makeViewSurface(ViewSurfaceKind kind, VtkViewWidget* host) {
  if (kind == ViewSurfaceKind::Widget) return new WidgetSurface(host);
  return new WindowSurface(host);
}

}  // namespace lunglens::ui
