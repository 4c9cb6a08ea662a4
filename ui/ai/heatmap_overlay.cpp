#include "ui/ai/heatmap_overlay.h"

#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkImageProperty.h>
#include <vtkLookupTable.h>
#include <vtkScalarBarActor.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <QImage>
#include <cstring>

#include "core/inference/heatmap_grid.h"
#include "core/export/heatmap_clip.h"
#include "ui/viewer/slice_view.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;

namespace {
constexpr double kLayerZ_mm = -0.1;  // just above the slice (the camera looks from -z)

void styleBarText(vtkTextProperty* p, int px) {
  p->SetFontFamilyToArial();
  p->SetFontSize(px);
  p->SetColor(0.92, 0.92, 0.80);
  p->ShadowOn();
  p->BoldOff();
  p->ItalicOff();
}
}  // namespace

HeatmapOverlay::HeatmapOverlay(viewer::SliceView* view, QObject* parent)
    : QObject(parent),
      view_(view),
      image_(vtkSmartPointer<vtkImageData>::New()),
      actor_(vtkSmartPointer<vtkImageActor>::New()),
      lut_(vtkSmartPointer<vtkLookupTable>::New()),
      bar_(vtkSmartPointer<vtkScalarBarActor>::New()),
      job_(this) {
  actor_->GetMapper()->SetInputData(image_);
  actor_->GetMapper()->BorderOn();
  actor_->InterpolateOn();
  actor_->ForceTranslucentOn();
  actor_->VisibilityOff();
  actor_->GetProperty()->SetOpacity(opacity_);
  actor_->SetPosition(0.0, 0.0, kLayerZ_mm);

  // The colour bar: the same colours as the layer, at the right edge between the orientation letter and the
  // lower corner text; its title says what it shows, its ends are labelled.
  constexpr double kBarLeft = 0.955, kBarBottom = 0.13, kBarTop = 0.40;
  lut_->SetRange(0.0, 1.0);
  bar_->SetLookupTable(lut_);
  bar_->SetOrientationToVertical();
  bar_->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  bar_->GetPositionCoordinate()->SetValue(kBarLeft, kBarBottom);
  bar_->SetWidth(0.03);
  bar_->SetHeight(kBarTop - kBarBottom);
  bar_->SetBarRatio(0.6);
  bar_->SetNumberOfLabels(0);
  bar_->DrawTickLabelsOff();
  bar_->DrawAnnotationsOff();
  bar_->SetTitle("");
  auto placeText = [](vtkTextActor* t, double x, double y, bool top) {
    t->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    t->GetPositionCoordinate()->SetValue(x, y);
    vtkTextProperty* p = t->GetTextProperty();
    styleBarText(p, 14);
    p->SetJustificationToRight();
    p->SetVerticalJustification(top ? VTK_TEXT_TOP : VTK_TEXT_BOTTOM);
  };
  title_ = vtkSmartPointer<vtkTextActor>::New();
  high_ = vtkSmartPointer<vtkTextActor>::New();
  low_ = vtkSmartPointer<vtkTextActor>::New();
  placeText(title_, 0.985, kBarTop + 0.015, false);
  placeText(high_, kBarLeft - 0.005, kBarTop, true);
  placeText(low_, kBarLeft - 0.005, kBarBottom, false);
  high_->SetInput("strong");
  low_->SetInput("none");
  bar_->VisibilityOff();
  for (vtkTextActor* t : {title_.Get(), high_.Get(), low_.Get()}) t->VisibilityOff();
  updateLegend();

  view_->addLayer(actor_);
  view_->addLayer(bar_);
  for (vtkTextActor* t : {title_.Get(), high_.Get(), low_.Get()}) view_->addLayer(t);
  // A new slice on screen: the layer belongs to the old one, hide it now (the new one comes from the AI side).
  connect(&view_->model(), &viewer::ViewerModel::imageChanged, this, [this]() {
    if (drawnSlice_ >= 0 && drawnSlice_ != view_->model().slice()) clear();
  });
}

HeatmapOverlay::~HeatmapOverlay() {
  job_.cancelAndWait();
  if (view_) {
    view_->removeLayer(actor_);
    view_->removeLayer(bar_);
    for (vtkTextActor* t : {title_.Get(), high_.Get(), low_.Get()}) view_->removeLayer(t);
  }
}

void HeatmapOverlay::showHeatmap(int slice, const inf::Heatmap& map, const inf::InputSpec& spec,
                                 const std::string& meaning) {
  if (slice == slice_ && map.values == map_.values && map.class_index == map_.class_index && drawnSlice_ == slice)
    return;
  slice_ = slice;
  map_ = map;
  spec_ = spec;
  meaning_ = meaning;
  recolour();
}

void HeatmapOverlay::clear() {
  job_.cancel();
  slice_ = -1;
  map_ = {};
  drawnSlice_ = -1;
  drawnLung_ = false;
  applyVisibility();
}

void HeatmapOverlay::recolour() {
  const auto& model = view_->model();
  if (slice_ < 0 || map_.empty() || !model.hasVolume() || slice_ >= model.sliceCount()) return;
  const core::volume::VolumePtr volume = model.volume();
  const int slice = slice_, cols = model.layout().cols(), rows = model.layout().rows();
  const core::dicom::DisplayFlip flip{model.layout().flipX(), model.layout().flipY()};
  decltype(job_)::Handlers handlers;
  handlers.done = [this, slice](Layer layer) { upload(layer.image, slice, layer.lung); };
  job_.start(
      [volume, slice, cols, rows, flip, map = map_, spec = spec_, colours = colours_, lung = lung_](
          const core::CancelToken&, const std::function<void(int)>&) {
        // The map on the slice grid (through the model's letterbox), then the shared clip and colouring.
        const core::inference::HeatmapGrid grid{cols, rows, inf::heatmapOnSlice(map, rows, cols, spec)};
        const std::int16_t* hu = volume->sliceReady(slice) ? volume->slice(slice) : nullptr;
        const auto clip = core::exporting::heatmapClip(lung ? &lung->mask : nullptr, slice, hu, cols, rows);
        return Layer{paint::heatmapLayer(grid, clip, cols, rows, flip, colours).convertToFormat(QImage::Format_RGBA8888),
                     clip.lung};
      },
      std::move(handlers));
  updateLegend();
}

void HeatmapOverlay::setLungAnalysis(std::shared_ptr<const core::lung::LungAnalysis> analysis) {
  const auto& model = view_->model();
  // Only the analysis of the shown volume's grid; another one is ignored (the fallback applies).
  if (analysis && (analysis->mask.geometry.cols != model.layout().cols() ||
                   analysis->mask.geometry.rows != model.layout().rows() ||
                   analysis->mask.geometry.slices != model.sliceCount()))
    analysis.reset();
  if (analysis == lung_) return;
  lung_ = std::move(analysis);
  if (slice_ >= 0 && !map_.empty()) recolour();
}

void HeatmapOverlay::upload(const QImage& layer, int slice, bool lung) {
  const auto& model = view_->model();
  if (slice != model.slice() || slice != slice_) return;  // scrolled on meanwhile
  const auto& layout = model.layout();
  const int cols = layer.width(), rows = layer.height();
  int* dims = image_->GetDimensions();
  if (dims[0] != cols || dims[1] != rows || image_->GetNumberOfScalarComponents() != 4) {
    image_->SetDimensions(cols, rows, 1);
    image_->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  }
  image_->SetSpacing(layout.columnSpacing_mm(), layout.rowSpacing_mm(), 1.0);
  image_->SetOrigin(layout.columnSpacing_mm() / 2.0, layout.rowSpacing_mm() / 2.0, 0.0);
  auto* out = static_cast<std::uint8_t*>(image_->GetScalarPointer());
  for (int r = 0; r < rows; ++r)
    std::memcpy(out + static_cast<std::size_t>(r) * cols * 4, layer.constScanLine(r),
                static_cast<std::size_t>(cols) * 4);
  image_->Modified();
  drawnSlice_ = slice;
  drawnLung_ = lung;
  applyVisibility();
  emit drawn(slice);
}

void HeatmapOverlay::setEnabled(bool on) {
  enabled_ = on;
  applyVisibility();
}

void HeatmapOverlay::setOpacity(double opacity) {
  opacity_ = std::clamp(opacity, 0.0, 1.0);
  actor_->GetProperty()->SetOpacity(opacity_);
  view_->update();
}

void HeatmapOverlay::setColours(paint::HeatmapColours colours) {
  if (colours == colours_) return;
  colours_ = colours;
  updateLegend();
  if (drawnSlice_ >= 0) recolour();
  view_->update();
}

void HeatmapOverlay::applyVisibility() {
  const bool show = enabled_ && drawnSlice_ >= 0 && drawnSlice_ == view_->model().slice();
  actor_->SetVisibility(show);
  bar_->SetVisibility(show);
  for (vtkTextActor* t : {title_.Get(), high_.Get(), low_.Get()}) t->SetVisibility(show);
  view_->update();
}

void HeatmapOverlay::updateLegend() {
  // Below the floor the layer draws nothing: the bar shows that part dark.
  lut_->SetNumberOfTableValues(256);
  lut_->Build();  // first, so it never regenerates over the values set below
  for (int i = 0; i < 256; ++i) {
    const QColor c = paint::heatmapColour(static_cast<float>(i / 255.0), colours_);
    if (c.alpha() == 0) {
      lut_->SetTableValue(i, 0.0, 0.0, 0.0, 1.0);
    } else {
      lut_->SetTableValue(i, c.redF(), c.greenF(), c.blueF(), 1.0);
    }
  }
  const std::string title = "Grad-CAM\n" + (meaning_.empty() ? std::string("model attention") : meaning_);
  title_->SetInput(title.c_str());
}

}  // namespace lunglens::ui::ai
