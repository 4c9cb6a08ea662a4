#include "ui/viewer/slice_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <cmath>
#include <cstring>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageProperty.h>
#include <vtkImageMapper3D.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include "core/volume/window.h"

namespace lunglens::ui::viewer {

namespace {

constexpr double kCameraDistance_mm = 1000.0;

void styleText(vtkTextProperty* p, int size_px) {
  p->SetFontFamilyToArial();
  p->SetFontSize(size_px);
  p->SetColor(0.92, 0.92, 0.80);  // warm white: legible on both black air and white bone
  p->ShadowOn();
  p->SetShadowOffset(1, -1);
  p->BoldOff();
}

}  // namespace

SliceView::SliceView(ViewerModel* model, QWidget* parent)
    : VtkViewWidget(parent),
      model_(model),
      image_(vtkSmartPointer<vtkImageData>::New()),
      imageActor_(vtkSmartPointer<vtkImageActor>::New()) {
  setMinimumSize(200, 200);
  setContextMenuPolicy(Qt::PreventContextMenu);  // the right button adjusts the window
  imageActor_->GetMapper()->SetInputData(image_);
  // Draw pixels out to their edges (not just between the outer pixel centres), so the image covers exactly
  // cols x rows spacings, as DisplayLayout assumes.
  imageActor_->GetMapper()->BorderOn();
  imageActor_->InterpolateOn();
  imageActor_->VisibilityOff();
  renderer()->SetBackground(0.0, 0.0, 0.0);
  renderer()->AddViewProp(imageActor_);
  for (auto& text : texts_) {
    text = vtkSmartPointer<vtkTextActor>::New();
    renderer()->AddViewProp(text);
  }
  auto* camera = renderer()->GetActiveCamera();
  camera->ParallelProjectionOn();
  camera->SetViewUp(0.0, -1.0, 0.0);  // world y runs down the screen, as image rows do
  setOverlayFontSize(fontPoints_);

  connect(model_, &ViewerModel::imageChanged, this, [this]() {
    imageDirty_ = true;
    update();
  });
  connect(model_, &ViewerModel::viewChanged, this, &SliceView::update);
}

SliceView::~SliceView() = default;

void SliceView::addLayer(vtkProp* prop) {
  renderer()->AddViewProp(prop);
  update();
}

void SliceView::removeLayer(vtkProp* prop) {
  renderer()->RemoveViewProp(prop);
  update();
}

void SliceView::setOverlayFontSize(int points) {
  fontPoints_ = points;
  // Point size to pixels at 96 dpi, times the device pixel ratio (VTK draws in device pixels).
  const int px = static_cast<int>(std::lround(points * 96.0 / 72.0 * devicePixelRatioF()));
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    vtkTextProperty* p = texts_[i]->GetTextProperty();
    styleText(p, i >= 4 ? px + px / 2 : px);  // orientation letters a little larger
    const bool right = i == 1 || i == 3 || i == 5, top = i == 2 || i == 3 || i == 7;
    if (i == 4 || i == 7) {
      p->SetJustificationToCentered();
    } else {
      p->SetJustification(right ? VTK_TEXT_RIGHT : VTK_TEXT_LEFT);
    }
    if (i == 5 || i == 6) {
      p->SetVerticalJustificationToCentered();
    } else {
      p->SetVerticalJustification(top ? VTK_TEXT_TOP : VTK_TEXT_BOTTOM);
    }
    p->SetLineSpacing(1.1);
  }
  update();
}

void SliceView::setOverlayVisible(bool visible) {
  overlayVisible_ = visible;
  for (auto& text : texts_) text->SetVisibility(visible);
  update();
}

void SliceView::prepareRender() {
  if (imageDirty_) uploadSlice();
  updateCamera();
  updateOverlay();
  for (const auto& hook : prepareHooks_) hook();
}

void SliceView::uploadSlice() {
  imageDirty_ = false;
  const auto& m = *model_;
  if (!m.currentSliceReady()) {
    imageActor_->VisibilityOff();
    return;
  }
  const DisplayLayout& layout = m.layout();
  const int cols = layout.cols(), rows = layout.rows();
  int* dims = image_->GetDimensions();
  if (dims[0] != cols || dims[1] != rows || image_->GetScalarType() != VTK_UNSIGNED_CHAR) {
    image_->SetDimensions(cols, rows, 1);
    image_->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  }
  // Pixel (c, r) covers [c, c+1) x [r, r+1) spacings, so the origin is half a pixel in.
  image_->SetSpacing(layout.columnSpacing_mm(), layout.rowSpacing_mm(), 1.0);
  image_->SetOrigin(layout.columnSpacing_mm() / 2.0, layout.rowSpacing_mm() / 2.0, 0.0);

  const std::size_t count = static_cast<std::size_t>(cols) * rows;
  const std::vector<std::uint8_t> grey = core::volume::windowSlice(m.volume()->slice(m.slice()), count, m.window());
  auto* out = static_cast<std::uint8_t*>(image_->GetScalarPointer());
  if (!layout.flipX() && !layout.flipY()) {
    std::memcpy(out, grey.data(), count);
  } else {
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        const VoxelXY v = layout.displayedToVoxel(c, r);
        out[static_cast<std::size_t>(r) * cols + c] = grey[static_cast<std::size_t>(v.y) * cols + v.x];
      }
    }
  }
  image_->Modified();
  imageActor_->VisibilityOn();
}

void SliceView::updateCamera() {
  const auto& m = *model_;
  const Camera& cam = m.camera();
  auto* camera = renderer()->GetActiveCamera();
  const double s = m.layout().pixelsPerMm(cam, m.viewWidth_px(), m.viewHeight_px());
  camera->SetFocalPoint(cam.centre_x_mm, cam.centre_y_mm, 0.0);
  camera->SetPosition(cam.centre_x_mm, cam.centre_y_mm, -kCameraDistance_mm);
  camera->SetViewUp(0.0, -1.0, 0.0);
  camera->SetParallelScale(m.viewHeight_px() / 2.0 / s);
  camera->SetClippingRange(kCameraDistance_mm / 2.0, kCameraDistance_mm * 1.5);
}

void SliceView::updateOverlay() {
  const auto& m = *model_;
  if (!m.hasVolume()) {
    for (auto& text : texts_) text->SetInput("");
    return;
  }
  const OverlayText text = m.overlay();
  std::string bottomLeft = text.bottom_left;
  if (!m.currentSliceReady()) bottomLeft += "\nSlice not loaded yet";
  const DisplayLayout& layout = m.layout();
  const std::string inputs[8] = {bottomLeft,           text.bottom_right,     text.top_left,
                                 text.top_right,       layout.letterBottom(), layout.letterRight(),
                                 layout.letterLeft(),  layout.letterTop()};
  // Display coordinates: device pixels from the bottom-left corner.
  const int* size = renderWindow()->GetSize();
  const double w = size[0], h = size[1], margin = 8.0 * devicePixelRatioF();
  const double positions[8][2] = {{margin, margin},         {w - margin, margin}, {margin, h - margin},
                                  {w - margin, h - margin}, {w / 2, margin},      {w - margin, h / 2},
                                  {margin, h / 2},          {w / 2, h - margin}};
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    texts_[i]->SetInput(inputs[i].c_str());
    texts_[i]->SetDisplayPosition(static_cast<int>(positions[i][0]), static_cast<int>(positions[i][1]));
  }
}

void SliceView::resizeEvent(QResizeEvent* event) {
  VtkViewWidget::resizeEvent(event);
  model_->setViewport(width(), height());
}

void SliceView::wheelEvent(QWheelEvent* event) {
  // Whole notches only (120 units each); touchpads send fractions that add up.
  wheelRemainder_ += event->angleDelta().y() / 120.0;
  const int notches = static_cast<int>(wheelRemainder_);
  wheelRemainder_ -= notches;
  if (notches == 0) return;
  if (event->modifiers() & Qt::ControlModifier) {
    const QPointF p = event->position();
    model_->zoomAt(std::pow(1.1, notches), {p.x(), p.y()});
  } else {
    // Wheel towards the user goes down the body, as in most PACS viewers.
    model_->scrollBy(-notches * model_->feetwardStep());
  }
  event->accept();
}

void SliceView::keyPressEvent(QKeyEvent* event) {
  const int down = model_->feetwardStep();
  switch (event->key()) {
    case Qt::Key_Up: model_->scrollBy(-down); break;
    case Qt::Key_Down: model_->scrollBy(down); break;
    case Qt::Key_PageUp: model_->scrollBy(-10 * down); break;
    case Qt::Key_PageDown: model_->scrollBy(10 * down); break;
    case Qt::Key_Home: model_->setSlice(down < 0 ? model_->sliceCount() - 1 : 0); break;
    case Qt::Key_End: model_->setSlice(down < 0 ? 0 : model_->sliceCount() - 1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: model_->zoomAt(1.25, {width() / 2.0, height() / 2.0}); break;
    case Qt::Key_Minus: model_->zoomAt(0.8, {width() / 2.0, height() / 2.0}); break;
    default: VtkViewWidget::keyPressEvent(event); return;
  }
  event->accept();
}

void SliceView::mousePressEvent(QMouseEvent* event) {
  setFocus(Qt::MouseFocusReason);
  dragOrigin_ = lastMouse_ = event->position().toPoint();
  if (tool_ && event->button() == Qt::LeftButton && tool_->press(event)) {
    toolDrag_ = true;
    drag_ = Drag::None;
    event->accept();
    return;
  }
  switch (event->button()) {
    case Qt::LeftButton: drag_ = Drag::Pan; break;
    case Qt::MiddleButton: drag_ = Drag::Zoom; break;
    case Qt::RightButton:
      drag_ = Drag::Window;
      model_->beginWindowDrag();
      break;
    default: drag_ = Drag::None; break;
  }
  event->accept();
}

void SliceView::mouseMoveEvent(QMouseEvent* event) {
  const QPoint p = event->position().toPoint();
  const QPoint delta = p - lastMouse_;
  if (tool_ && (toolDrag_ || drag_ == Drag::None)) tool_->move(event);
  switch (drag_) {
    case Drag::Pan: model_->panBy(delta.x(), delta.y()); break;
    case Drag::Zoom: model_->zoomAt(std::pow(1.01, -delta.y()), {double(dragOrigin_.x()), double(dragOrigin_.y())}); break;
    case Drag::Window: model_->dragWindow(p.x() - dragOrigin_.x(), p.y() - dragOrigin_.y()); break;
    case Drag::None: break;
  }
  lastMouse_ = p;
  model_->setCursor(ViewPoint{event->position().x(), event->position().y()});
}

void SliceView::mouseReleaseEvent(QMouseEvent* event) {
  if (toolDrag_ && event->button() == Qt::LeftButton) {
    toolDrag_ = false;
    if (tool_) tool_->release(event);
  }
  drag_ = Drag::None;
  event->accept();
}

void SliceView::leaveEvent(QEvent* event) {
  model_->setCursor(std::nullopt);
  VtkViewWidget::leaveEvent(event);
}

}  // namespace lunglens::ui::viewer
