#include "ui/common/vtk_view_widget.h"

#include <QEvent>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <QVBoxLayout>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

#include "ui/common/view_surface.h"

namespace lunglens::ui {
namespace {

ViewSurfaceKind kindFromEnvironment() {
  return qgetenv("LUNGLENS_VIEW_SURFACE") == "widget" ? ViewSurfaceKind::Widget : ViewSurfaceKind::Window;
}

ViewSurfaceKind& currentKind() {
  static ViewSurfaceKind kind = kindFromEnvironment();
  return kind;
}

}  // namespace

void VtkViewWidget::setDefaultSurfaceFormat() {
  QSurfaceFormat format;
  format.setRenderableType(QSurfaceFormat::OpenGL);
  format.setVersion(3, 2);
  format.setProfile(QSurfaceFormat::CoreProfile);
  format.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  format.setRedBufferSize(8);
  format.setGreenBufferSize(8);
  format.setBlueBufferSize(8);
  format.setAlphaBufferSize(8);
  format.setDepthBufferSize(24);
  format.setStencilBufferSize(0);
  format.setSamples(0);
  QSurfaceFormat::setDefaultFormat(format);
}

void VtkViewWidget::setSurfaceKind(ViewSurfaceKind kind) { currentKind() = kind; }
ViewSurfaceKind VtkViewWidget::surfaceKind() { return currentKind(); }

VtkViewWidget::VtkViewWidget(QWidget* parent)
    : QWidget(parent),
      kind_(currentKind()),
      renderWindow_(vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New()),
      renderer_(vtkSmartPointer<vtkRenderer>::New()) {
  renderWindow_->AddRenderer(renderer_);
  // VTK copies each frame into its display framebuffer and stops there (no blit): renderFrame puts it on screen.
  renderWindow_->SetOwnContext(false);
  // No multisampling: images and text gain nothing from it, and a software renderer pays for every sample.
  renderWindow_->SetMultiSamples(0);
  renderWindow_->SetFrameBlitModeToNoBlit();
  renderWindow_->SetReadyForRendering(false);
  for (unsigned long event : {vtkCommand::WindowMakeCurrentEvent, vtkCommand::WindowIsCurrentEvent,
                              vtkCommand::WindowSupportsOpenGLEvent, vtkCommand::WindowIsDirectEvent,
                              vtkCommand::WindowFrameEvent}) {
    renderWindow_->AddObserver(event, this, &VtkViewWidget::onRenderWindowEvent);
  }
  setFocusPolicy(Qt::StrongFocus);
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  surface_ = makeViewSurface(kind_, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(surface_->widget());
}

VtkViewWidget::~VtkViewWidget() {
  releaseGraphics();
  surface_->detach();
  renderWindow_->RemoveAllObservers();
}

void VtkViewWidget::releaseGraphics() {
  if (!contextReady_) return;
  surface_->makeCurrent();
  renderWindow_->Finalize();
  renderWindow_->SetReadyForRendering(false);
  contextReady_ = false;
  surface_->doneCurrent();
}

vtkGenericOpenGLRenderWindow* VtkViewWidget::renderWindow() const { return renderWindow_; }
vtkRenderer* VtkViewWidget::renderer() const { return renderer_; }

QWindow* VtkViewWidget::nativeWindow() const { return surface_->nativeWindow(); }

void VtkViewWidget::update() {
  surface_->requestFrame();
}

QImage VtkViewWidget::grabFramebuffer() { return surface_->grab(); }

void VtkViewWidget::drawNow() { surface_->drawNow(); }

void VtkViewWidget::finishFrame() {
  if (!surface_->context()) return;
  surface_->makeCurrent();
  surface_->context()->functions()->glFinish();
  surface_->doneCurrent();
}

bool VtkViewWidget::event(QEvent* event) {
  if (event->type() == QEvent::CursorChange) surface_->setCursorFrom(*this);
  return QWidget::event(event);
}

void VtkViewWidget::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // Known before the next frame, so layout code reading the render window's size sees the new one.
  const qreal ratio = devicePixelRatioF();
  renderWindow_->SetSize(static_cast<int>(width() * ratio), static_cast<int>(height() * ratio));
}

void VtkViewWidget::onRenderWindowEvent(vtkObject*, unsigned long event, void* data) {
  switch (event) {
    case vtkCommand::WindowMakeCurrentEvent:
      // Only when needed: QOpenGLWidget::makeCurrent() also rebinds the widget's framebuffer, which in the middle
      // of a VTK render would pull the draw target out from under VTK's cached state.
      if (QOpenGLContext::currentContext() != surface_->context()) surface_->makeCurrent();
      break;
    case vtkCommand::WindowIsCurrentEvent:
      *static_cast<bool*>(data) =
          surface_->context() != nullptr && QOpenGLContext::currentContext() == surface_->context();
      break;
    case vtkCommand::WindowSupportsOpenGLEvent:
    case vtkCommand::WindowIsDirectEvent:
      *static_cast<int*>(data) = 1;
      break;
    case vtkCommand::WindowFrameEvent:
      // VTK finished a frame outside renderFrame (someone called Render()): show it.
      if (contextReady_ && !inPaint_) update();
      break;
    default:
      break;
  }
}

void VtkViewWidget::contextCreated(QOpenGLContext*) {
  renderWindow_->SetReadyForRendering(true);
  renderWindow_->OpenGLInitContext();
  contextReady_ = true;
}

void VtkViewWidget::renderFrame(unsigned framebuffer, int w, int h) {
  if (!contextReady_) return;
  renderWindow_->SetSize(w, h);
  inPaint_ = true;
  prepareRender();
  // Qt may have changed GL state behind VTK's back since the last frame.
  renderWindow_->GetState()->Reset();
  renderWindow_->Render();
  inPaint_ = false;

  // Blit VTK's display framebuffer onto the surface.
  auto* f = surface_->context()->extraFunctions();
  renderWindow_->GetState()->PushFramebufferBindings();
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, framebuffer);
  const GLenum drawBuffer = framebuffer == 0 ? GL_BACK : GL_COLOR_ATTACHMENT0;
  f->glDrawBuffers(1, &drawBuffer);
  renderWindow_->GetState()->vtkglDisable(GL_SCISSOR_TEST);
  f->glDisable(GL_SCISSOR_TEST);
  const int* size = renderWindow_->GetRenderFramebuffer()->GetLastSize();
  renderWindow_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  renderWindow_->GetState()->PopFramebufferBindings();
  // Opaque alpha, or a compositor blends the view with what lies behind it.
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, framebuffer);
  f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  f->glClearColor(0.f, 0.f, 0.f, 1.f);
  f->glClear(GL_COLOR_BUFFER_BIT);
  f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

}  // namespace lunglens::ui
