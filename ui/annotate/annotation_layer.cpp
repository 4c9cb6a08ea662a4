#include "ui/annotate/annotation_layer.h"

#include <QImage>
#include <QPainter>
#include <cmath>
#include <cstring>
#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>

#include "ui/annotate/annotation_presenter.h"
#include "ui/annotate/view_placement.h"
#include "ui/viewer/slice_view.h"

namespace lunglens::ui::annotate {

namespace {
constexpr double kLayerZ_mm = -0.2;  // above the slice and the heatmap (-0.1); the camera looks from -z
}

AnnotationLayer::AnnotationLayer(viewer::SliceView* view, const AnnotationPresenter* presenter, QObject* parent)
    : QObject(parent),
      view_(view),
      presenter_(presenter),
      image_(vtkSmartPointer<vtkImageData>::New()),
      actor_(vtkSmartPointer<vtkImageActor>::New()) {
  actor_->GetMapper()->SetInputData(image_);
  actor_->GetMapper()->BorderOn();
  actor_->InterpolateOff();  // one image pixel per screen pixel: keep lines and text crisp
  actor_->ForceTranslucentOn();
  actor_->VisibilityOff();
  view_->addLayer(actor_);
  // The view may outlive this layer: the hook checks that the layer still exists.
  view_->addPrepareHook([guard = QPointer<AnnotationLayer>(this)]() {
    if (guard) guard->prepare();
  });
  connect(&view_->model(), &viewer::ViewerModel::imageChanged, this, &AnnotationLayer::invalidate);
}

AnnotationLayer::~AnnotationLayer() {
  if (view_) view_->removeLayer(actor_);
}

void AnnotationLayer::invalidate() {
  dirty_ = true;
  if (view_) view_->update();
}

void AnnotationLayer::prepare() {
  const auto& model = view_->model();
  const double ratio = view_->devicePixelRatioF();
  const auto& cam = model.camera();
  const auto key = std::make_tuple(model.slice(), cam.zoom, cam.centre_x_mm, cam.centre_y_mm, model.viewWidth_px(),
                                   model.viewHeight_px(), ratio);
  if (!dirty_ && key == paintedFor_) return;
  dirty_ = false;
  paintedFor_ = key;
  const auto annotations = model.hasVolume() ? presenter_->visible() : std::vector<core::annotation::Annotation>{};
  drawnCount_ = static_cast<int>(annotations.size());
  if (annotations.empty() || model.layout().empty()) {
    actor_->VisibilityOff();
    return;
  }
  const int w = static_cast<int>(std::lround(model.viewWidth_px() * ratio));
  const int h = static_cast<int>(std::lround(model.viewHeight_px() * ratio));
  if (w <= 0 || h <= 0) return;
  QImage layer(w, h, QImage::Format_RGBA8888);
  layer.fill(Qt::transparent);
  {
    QPainter painter(&layer);
    paint::AnnotationStyle style;
    style.scale = ratio;
    if (presenter_->document()) style.selected = presenter_->document()->selected();
    paint::paintAnnotations(painter, annotations, viewPlacement(model, ratio), measuredSlice(model), style);
  }
  int* dims = image_->GetDimensions();
  if (dims[0] != w || dims[1] != h || image_->GetNumberOfScalarComponents() != 4) {
    image_->SetDimensions(w, h, 1);
    image_->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  }
  // Image row 0 at the view's top (world y runs down the screen); one image pixel per device pixel.
  const double mmPerPixel = 1.0 / (model.layout().pixelsPerMm(cam, model.viewWidth_px(), model.viewHeight_px()) * ratio);
  double x0 = 0, y0 = 0;
  model.layout().viewToImageMm(cam, model.viewWidth_px(), model.viewHeight_px(), {0.0, 0.0}, x0, y0);
  image_->SetSpacing(mmPerPixel, mmPerPixel, 1.0);
  image_->SetOrigin(x0 + mmPerPixel / 2.0, y0 + mmPerPixel / 2.0, 0.0);
  actor_->SetPosition(0.0, 0.0, kLayerZ_mm);
  auto* out = static_cast<std::uint8_t*>(image_->GetScalarPointer());
  for (int r = 0; r < h; ++r) {
    std::memcpy(out + static_cast<std::size_t>(r) * w * 4, layer.constScanLine(r), static_cast<std::size_t>(w) * 4);
  }
  image_->Modified();
  actor_->VisibilityOn();
}

}  // namespace lunglens::ui::annotate
