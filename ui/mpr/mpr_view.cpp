#include "ui/mpr/mpr_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include "ui/viewer/display_layout.h"

namespace lunglens::ui::mpr {

namespace cv = core::volume;

namespace {

constexpr double kCameraDistance_mm = 1000.0;
constexpr double kGap_px = 14.0;     // crosshair gap around its centre
constexpr double kBarWidth_px = 7.0;  // AI score bar

std::string fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

cv::Vec3 negated(const cv::Vec3& v) { return {-v[0], -v[1], -v[2]}; }

}  // namespace

std::array<double, 3> planeColour(cv::Plane plane) {
  switch (plane) {
    case cv::Plane::Axial: return {0.95, 0.30, 0.25};
    case cv::Plane::Coronal: return {0.35, 0.85, 0.35};
    case cv::Plane::Sagittal: return {0.95, 0.85, 0.25};
  }
  return {1, 1, 1};
}

std::array<unsigned char, 4> scoreColour(float p, double threshold) {
  if (p < 0.0f) return {0, 0, 0, 0};
  if (p < threshold) return {40, 110, 120, 255};  // scored, below the threshold: quiet
  // Above: amber at the threshold to red at 1.
  const double t = threshold >= 1.0 ? 1.0 : std::clamp((p - threshold) / (1.0 - threshold), 0.0, 1.0);
  return {static_cast<unsigned char>(245), static_cast<unsigned char>(190 - 150 * t), static_cast<unsigned char>(40),
          255};
}

MprView::MprView(MprModel* model, int view, QWidget* parent)
    : VtkViewWidget(parent),
      model_(model),
      view_(view),
      image_(vtkSmartPointer<vtkImageData>::New()),
      bar_(vtkSmartPointer<vtkImageData>::New()),
      imageActor_(vtkSmartPointer<vtkImageActor>::New()),
      barActor_(vtkSmartPointer<vtkImageActor>::New()) {
  setMinimumSize(160, 160);
  setFocusPolicy(Qt::StrongFocus);
  setContextMenuPolicy(Qt::PreventContextMenu);
  imageActor_->GetMapper()->SetInputData(image_);
  imageActor_->GetMapper()->BorderOn();
  imageActor_->InterpolateOn();
  imageActor_->VisibilityOff();
  barActor_->GetMapper()->SetInputData(bar_);
  barActor_->GetMapper()->BorderOn();
  barActor_->InterpolateOff();
  barActor_->VisibilityOff();
  renderer()->SetBackground(0.0, 0.0, 0.0);
  renderer()->AddViewProp(imageActor_);
  renderer()->AddViewProp(barActor_);
  for (int i = 0; i < 2; ++i) {
    linePoints_[i] = vtkSmartPointer<vtkPoints>::New();
    linePoints_[i]->SetNumberOfPoints(4);
    lines_[i] = vtkSmartPointer<vtkPolyData>::New();
    lines_[i]->SetPoints(linePoints_[i]);
    auto cells = vtkSmartPointer<vtkCellArray>::New();
    const vtkIdType a[2] = {0, 1}, b[2] = {2, 3};
    cells->InsertNextCell(2, a);
    cells->InsertNextCell(2, b);
    lines_[i]->SetLines(cells);
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(lines_[i]);
    lineActors_[i] = vtkSmartPointer<vtkActor>::New();
    lineActors_[i]->SetMapper(mapper);
    lineActors_[i]->GetProperty()->SetLineWidth(1.5f);
    lineActors_[i]->GetProperty()->SetOpacity(0.85);
    lineActors_[i]->GetProperty()->LightingOff();
    renderer()->AddViewProp(lineActors_[i]);
  }
  const int px = static_cast<int>(std::lround(10 * 96.0 / 72.0 * devicePixelRatioF()));
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    texts_[i] = vtkSmartPointer<vtkTextActor>::New();
    vtkTextProperty* p = texts_[i]->GetTextProperty();
    p->SetFontFamilyToArial();
    p->SetFontSize(i >= 3 ? px + px / 2 : px);
    p->SetColor(0.92, 0.92, 0.80);
    p->ShadowOn();
    p->SetLineSpacing(1.1);
    const bool right = i == 1 || i == 4, top = i == 2 || i == 6;
    if (i == 3 || i == 6) {
      p->SetJustificationToCentered();
    } else {
      p->SetJustification(right ? VTK_TEXT_RIGHT : VTK_TEXT_LEFT);
    }
    if (i == 4 || i == 5) {
      p->SetVerticalJustificationToCentered();
    } else {
      p->SetVerticalJustification(top ? VTK_TEXT_TOP : VTK_TEXT_BOTTOM);
    }
    renderer()->AddViewProp(texts_[i]);
  }
  // The plane's name in its crosshair colour, so a line of that colour in another view is easy to pair.
  const auto c = planeColour(model_->plane(view_));
  texts_[2]->GetTextProperty()->SetColor(c[0], c[1], c[2]);

  connect(model_, &MprModel::imageChanged, this, [this](int v) {
    if (v != view_) return;
    imageDirty_ = true;
    update();
  });
  connect(model_, &MprModel::viewChanged, this, [this](int v) {
    if (v == view_) update();
  });
  connect(model_, &MprModel::scoresChanged, this, [this]() {
    barDirty_ = true;
    update();
  });
  connect(model_, &MprModel::volumeChanged, this, [this]() {
    imageDirty_ = barDirty_ = true;
    const auto col = planeColour(model_->plane(view_));
    texts_[2]->GetTextProperty()->SetColor(col[0], col[1], col[2]);
    update();
  });
}

MprView::~MprView() = default;

void MprView::prepareRender() {
  if (imageDirty_) uploadImage();
  if (barDirty_) uploadScoreBar();
  updateCamera();
  updateCrosshair();
  updateText();
}

void MprView::uploadImage() {
  imageDirty_ = false;
  if (!model_->hasVolume()) {
    imageActor_->VisibilityOff();
    return;
  }
  const cv::PlaneFrame& f = model_->frame(view_);
  const std::vector<std::int16_t> hu = model_->image(view_);
  int* dims = image_->GetDimensions();
  if (dims[0] != f.width || dims[1] != f.height || image_->GetScalarType() != VTK_UNSIGNED_CHAR) {
    image_->SetDimensions(f.width, f.height, 1);
    image_->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  }
  image_->SetSpacing(f.h_spacing_mm, f.v_spacing_mm, 1.0);
  image_->SetOrigin(f.h_spacing_mm / 2.0, f.v_spacing_mm / 2.0, 0.0);
  const std::vector<std::uint8_t> grey = cv::windowSlice(hu.data(), hu.size(), model_->state(view_).window);
  std::copy(grey.begin(), grey.end(), static_cast<std::uint8_t*>(image_->GetScalarPointer()));
  image_->Modified();
  imageActor_->VisibilityOn();
  barDirty_ = true;
}

void MprView::uploadScoreBar() {
  barDirty_ = false;
  const auto& scores = model_->sliceScores();
  const cv::PlaneFrame& f = model_->frame(view_);
  // Only where the slices run down the screen (coronal and sagittal planes).
  if (!model_->hasVolume() || f.v_axis != 2 || scores.empty()) {
    barActor_->VisibilityOff();
    return;
  }
  bar_->SetDimensions(1, f.height, 1);
  bar_->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  auto* out = static_cast<unsigned char*>(bar_->GetScalarPointer());
  for (int r = 0; r < f.height; ++r) {
    const int z = f.displayRow(r);
    const float p = z < static_cast<int>(scores.size()) ? scores[static_cast<std::size_t>(z)] : -1.0f;
    const auto c = scoreColour(p, model_->scoreThreshold());
    std::copy(c.begin(), c.end(), out + 4 * static_cast<std::size_t>(r));
  }
  bar_->Modified();
  barActor_->VisibilityOn();
}

void MprView::updateCamera() {
  const ViewState& s = model_->state(view_);
  auto* camera = renderer()->GetActiveCamera();
  camera->ParallelProjectionOn();
  const double k = model_->pixelsPerMm(view_);
  camera->SetFocalPoint(s.centre_x_mm, s.centre_y_mm, 0.0);
  camera->SetPosition(s.centre_x_mm, s.centre_y_mm, -kCameraDistance_mm);
  camera->SetViewUp(0.0, -1.0, 0.0);
  camera->SetParallelScale(s.height_px / 2.0 / k);
  camera->SetClippingRange(kCameraDistance_mm / 2.0, kCameraDistance_mm * 1.5);
  if (barActor_->GetVisibility()) {
    // The bar keeps a constant width on screen and spans the image's rows: just left of the image where the view
    // has room, else at the view's left edge (over the image's outermost columns, usually air outside the body).
    const cv::PlaneFrame& f = model_->frame(view_);
    const double w_mm = kBarWidth_px / k;
    const double viewLeft_mm = s.centre_x_mm - s.width_px / 2.0 / k;
    const double left_mm = std::max(viewLeft_mm, -2.0 * w_mm);
    bar_->SetSpacing(w_mm, f.v_spacing_mm, 1.0);
    bar_->SetOrigin(left_mm + w_mm / 2.0, f.v_spacing_mm / 2.0, -0.1);
  }
}

void MprView::updateCrosshair() {
  const bool show = model_->hasVolume();
  for (auto& a : lineActors_) a->SetVisibility(show);
  if (!show) return;
  const cv::PlaneFrame& f = model_->frame(view_);
  const double k = model_->pixelsPerMm(view_);
  const Point centre = model_->crosshairInView(view_);
  double cx = 0, cy = 0;
  model_->viewToImageMm(view_, centre, cx, cy);
  const double gap = kGap_px / k, z = -0.2;
  // Horizontal line: the plane whose depth axis runs down this view; vertical: the one running across.
  const double w = f.width_mm(), h = f.height_mm();
  linePoints_[0]->SetPoint(0, 0.0, cy, z);
  linePoints_[0]->SetPoint(1, std::max(0.0, cx - gap), cy, z);
  linePoints_[0]->SetPoint(2, std::min(w, cx + gap), cy, z);
  linePoints_[0]->SetPoint(3, w, cy, z);
  linePoints_[1]->SetPoint(0, cx, 0.0, z);
  linePoints_[1]->SetPoint(1, cx, std::max(0.0, cy - gap), z);
  linePoints_[1]->SetPoint(2, cx, std::min(h, cy + gap), z);
  linePoints_[1]->SetPoint(3, cx, h, z);
  for (int i = 0; i < 2; ++i) {
    linePoints_[i]->Modified();
    lines_[i]->Modified();
  }
  // The horizontal line is the plane across v_axis, the vertical one the plane across h_axis.
  auto planeAcross = [](int voxelAxis, const cv::PlaneFrame& fr, const MprModel& m) {
    for (int v = 0; v < 3; ++v) {
      if (m.frame(v).depth_axis == voxelAxis) return m.plane(v);
    }
    return fr.plane;
  };
  const auto ch = planeColour(planeAcross(f.v_axis, f, *model_));
  const auto cvv = planeColour(planeAcross(f.h_axis, f, *model_));
  lineActors_[0]->GetProperty()->SetColor(ch[0], ch[1], ch[2]);
  lineActors_[1]->GetProperty()->SetColor(cvv[0], cvv[1], cvv[2]);
}

void MprView::updateText() {
  std::string inputs[7];
  if (!model_->volume()) {
    for (auto& t : texts_) t->SetInput("");
    return;
  }
  if (!model_->hasVolume()) {
    inputs[2] = "No reformats:\n" + model_->refusal().toStdString();
  } else {
    const cv::PlaneFrame& f = model_->frame(view_);
    const cv::Vec3 p = model_->cursorPatient_mm();
    const auto range = model_->planeRange(view_);
    std::string title = cv::planeName(f.plane);
    std::string where;
    switch (f.plane) {
      case cv::Plane::Axial:
        where = "Im " + std::to_string(model_->imageNumber(model_->cursor()[2])) + "   Z " + fixed(p[2], 1) + " mm";
        break;
      case cv::Plane::Coronal: where = "Y " + fixed(p[1], 1) + " mm"; break;
      case cv::Plane::Sagittal: where = "X " + fixed(p[0], 1) + " mm"; break;
    }
    if (view_ == kSlabView) {
      const double thick = (range[1] - range[0] + 1) * f.depth_spacing_mm;
      title += std::string(" ") + cv::slabModeName(model_->slabMode()) + " slab " + fixed(thick, 1) + " mm";
    }
    inputs[2] = title;
    inputs[0] = where;
    const cv::Window& w = model_->state(view_).window;
    inputs[1] = "W " + fixed(w.width, 0) + "  L " + fixed(w.level, 0);
    if (f.v_axis == 2 && !model_->sliceScores().empty()) inputs[1] += "\nAI bar (left): COVID-19 per slice";
    inputs[3] = ui::viewer::orientationLetter(f.screen_down);
    inputs[4] = ui::viewer::orientationLetter(f.screen_right);
    inputs[5] = ui::viewer::orientationLetter(negated(f.screen_right));
    inputs[6] = ui::viewer::orientationLetter(negated(f.screen_down));
  }
  const int* size = renderWindow()->GetSize();
  const double w = size[0], h = size[1], m = 6.0 * devicePixelRatioF();
  const double pos[7][2] = {{m, m}, {w - m, m}, {m, h - m}, {w / 2, m}, {w - m, h / 2}, {m + 10, h / 2}, {w / 2, h - m}};
  for (std::size_t i = 0; i < texts_.size(); ++i) {
    texts_[i]->SetInput(inputs[i].c_str());
    texts_[i]->SetDisplayPosition(static_cast<int>(pos[i][0]), static_cast<int>(pos[i][1]));
  }
}

void MprView::resizeEvent(QResizeEvent* event) {
  VtkViewWidget::resizeEvent(event);
  model_->setViewport(view_, width(), height());
}

void MprView::wheelEvent(QWheelEvent* event) {
  wheelRemainder_ += event->angleDelta().y() / 120.0;
  const int notches = static_cast<int>(wheelRemainder_);
  wheelRemainder_ -= notches;
  if (notches == 0) return;
  if (event->modifiers() & Qt::ControlModifier) {
    const QPointF p = event->position();
    model_->zoomAt(view_, std::pow(1.15, notches), {p.x(), p.y()});
  } else {
    // As in the axial viewer: a notch away from the user goes one plane toward the higher voxel index.
    model_->scrollBy(view_, notches);
  }
}

void MprView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_PageUp: model_->scrollBy(view_, event->key() == Qt::Key_PageUp ? 10 : 1); break;
    case Qt::Key_Down:
    case Qt::Key_PageDown: model_->scrollBy(view_, event->key() == Qt::Key_PageDown ? -10 : -1); break;
    case Qt::Key_1:
    case Qt::Key_2:
    case Qt::Key_3: model_->applyPreset(view_, event->key() - Qt::Key_0); break;
    case Qt::Key_R: model_->resetViews(); break;
    default: VtkViewWidget::keyPressEvent(event);
  }
}

void MprView::mousePressEvent(QMouseEvent* event) {
  setFocus();
  dragOrigin_ = lastMouse_ = event->pos();
  const QPointF p = event->position();
  if (event->button() == Qt::LeftButton) {
    drag_ = Drag::Cursor;
    model_->pickAt(view_, {p.x(), p.y()});
  } else if (event->button() == Qt::MiddleButton) {
    drag_ = Drag::Pan;
  } else if (event->button() == Qt::RightButton) {
    drag_ = Drag::Window;
    model_->beginWindowDrag(view_);
  }
}

void MprView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF p = event->position();
  switch (drag_) {
    case Drag::Cursor: model_->pickAt(view_, {p.x(), p.y()}); break;
    case Drag::Pan: model_->panBy(view_, event->pos().x() - lastMouse_.x(), event->pos().y() - lastMouse_.y()); break;
    case Drag::Window:
      model_->dragWindow(view_, event->pos().x() - dragOrigin_.x(), event->pos().y() - dragOrigin_.y());
      break;
    case Drag::None: break;
  }
  lastMouse_ = event->pos();
}

void MprView::mouseReleaseEvent(QMouseEvent*) { drag_ = Drag::None; }

}  // namespace lunglens::ui::mpr
