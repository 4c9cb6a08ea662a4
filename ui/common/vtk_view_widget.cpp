#include "ui/common/vtk_view_widget.h"

#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QSurfaceFormat>
#include <vtkCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

namespace lunglens::ui {

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

VtkViewWidget::VtkViewWidget(QWidget* parent)
    : QOpenGLWidget(parent),
      renderWindow_(vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New()),
      renderer_(vtkSmartPointer<vtkRenderer>::New()) {
  renderWindow_->AddRenderer(renderer_);
  // VTK copies each frame into its display framebuffer and stops there (no blit): paintGL puts it on screen.
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
}

VtkViewWidget::~VtkViewWidget() {
  releaseGraphics();
  renderWindow_->RemoveAllObservers();
}

void VtkViewWidget::releaseGraphics() {
  if (!contextReady_) return;
  makeCurrent();
  renderWindow_->Finalize();
  renderWindow_->SetReadyForRendering(false);
  contextReady_ = false;
  doneCurrent();
}

vtkGenericOpenGLRenderWindow* VtkViewWidget::renderWindow() const { return renderWindow_; }
vtkRenderer* VtkViewWidget::renderer() const { return renderer_; }

void VtkViewWidget::onRenderWindowEvent(vtkObject*, unsigned long event, void* data) {
  switch (event) {
    case vtkCommand::WindowMakeCurrentEvent:
      // Only when needed: QOpenGLWidget::makeCurrent() also rebinds the widget's framebuffer, which in the middle
      // of a VTK render would pull the draw target out from under VTK's cached state.
      if (QOpenGLContext::currentContext() != context()) makeCurrent();
      break;
    case vtkCommand::WindowIsCurrentEvent:
      *static_cast<bool*>(data) = QOpenGLContext::currentContext() == context() && context() != nullptr;
      break;
    case vtkCommand::WindowSupportsOpenGLEvent:
    case vtkCommand::WindowIsDirectEvent:
      *static_cast<int*>(data) = 1;
      break;
    case vtkCommand::WindowFrameEvent:
      // VTK finished a frame outside paintGL (someone called Render()): show it.
      if (contextReady_ && !inPaint_) update();
      break;
    default:
      break;
  }
}

void VtkViewWidget::initializeGL() {
  connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &VtkViewWidget::releaseGraphics,
          Qt::UniqueConnection);
  renderWindow_->SetReadyForRendering(true);
  renderWindow_->OpenGLInitContext();
  contextReady_ = true;
}

void VtkViewWidget::resizeGL(int w, int h) {
  const qreal ratio = devicePixelRatioF();
  renderWindow_->SetSize(static_cast<int>(w * ratio), static_cast<int>(h * ratio));
}

void VtkViewWidget::paintGL() {
  if (!contextReady_) return;
  const qreal ratio = devicePixelRatioF();
  const int w = static_cast<int>(width() * ratio), h = static_cast<int>(height() * ratio);
  renderWindow_->SetSize(w, h);
  inPaint_ = true;
  prepareRender();
  // Qt may have changed GL state behind VTK's back since the last frame.
  renderWindow_->GetState()->Reset();
  renderWindow_->Render();
  inPaint_ = false;

  // Blit VTK's display framebuffer into the widget's framebuffer.
  auto* f = context()->extraFunctions();
  renderWindow_->GetState()->PushFramebufferBindings();
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  const GLenum drawBuffer = GL_COLOR_ATTACHMENT0;
  f->glDrawBuffers(1, &drawBuffer);
  renderWindow_->GetState()->vtkglDisable(GL_SCISSOR_TEST);
  f->glDisable(GL_SCISSOR_TEST);
  const int* size = renderWindow_->GetRenderFramebuffer()->GetLastSize();
  renderWindow_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, w, h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  renderWindow_->GetState()->PopFramebufferBindings();
  // Opaque alpha, or a compositor blends the view with what lies behind it.
  f->glBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
  f->glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
  f->glClearColor(0.f, 0.f, 0.f, 1.f);
  f->glClear(GL_COLOR_BUFFER_BIT);
  f->glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

}  // namespace lunglens::ui
