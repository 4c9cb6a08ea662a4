#include "ui/ai/lung_overlay.h"

#include <vtkImageActor.h>
#include <vtkImageData.h>
#include <vtkImageMapper3D.h>
#include <vtkImageProperty.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <QImage>
#include <cstring>
#include <string>

#include "ui/paint/lung_layer.h"
#include "ui/viewer/slice_view.h"

namespace lunglens::ui::ai {

namespace {
constexpr double kLayerZ_mm = -0.05;  // above the slice, below the heatmap (-0.1): the heatmap stays on top

std::string band(double lo, double hi) {
  return std::to_string(static_cast<int>(lo)) + " to " + std::to_string(static_cast<int>(hi)) + " HU";
}
}  // namespace

LungOverlay::LungOverlay(viewer::SliceView* view, QObject* parent)
    : QObject(parent),
      view_(view),
      image_(vtkSmartPointer<vtkImageData>::New()),
      actor_(vtkSmartPointer<vtkImageActor>::New()) {
  actor_->GetMapper()->SetInputData(image_);
  actor_->GetMapper()->BorderOn();
  actor_->InterpolateOff();  // crisp voxel edges: the contour is one voxel wide
  actor_->ForceTranslucentOn();
  actor_->VisibilityOff();
  actor_->SetPosition(0.0, 0.0, kLayerZ_mm);
  view_->addLayer(actor_);
  // The legend: three lines at the left edge, below the orientation letter and above the lower-left text.
  const QColor colours[3] = {paint::lungContourColour(), paint::groundGlassColour(), paint::consolidationColour()};
  for (int i = 0; i < 3; ++i) {
    legend_[i] = vtkSmartPointer<vtkTextActor>::New();
    legend_[i]->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
    legend_[i]->GetPositionCoordinate()->SetValue(0.012, 0.30 - 0.03 * i);
    vtkTextProperty* p = legend_[i]->GetTextProperty();
    p->SetFontFamilyToArial();
    p->SetFontSize(14);
    p->SetColor(colours[i].redF(), colours[i].greenF(), colours[i].blueF());
    p->BoldOn();
    p->ShadowOn();
    p->SetJustificationToLeft();
    legend_[i]->VisibilityOff();
    view_->addLayer(legend_[i]);
  }
  connect(&view_->model(), &viewer::ViewerModel::imageChanged, this, &LungOverlay::redraw);
}

LungOverlay::~LungOverlay() {
  if (!view_) return;
  view_->removeLayer(actor_);
  for (auto& t : legend_) view_->removeLayer(t);
}

void LungOverlay::setAnalysis(std::shared_ptr<const core::lung::LungAnalysis> analysis) {
  analysis_ = std::move(analysis);
  if (analysis_) {
    const auto& b = analysis_->bands;
    legend_[0]->SetInput("\u2501 lung contour (L)");
    legend_[1]->SetInput(("\u25A0 ground glass " + band(b.ggo_min_hu, b.ggo_max_hu) + " (G)").c_str());
    legend_[2]->SetInput(("\u25A0 consolidation " + band(b.consolidation_min_hu, b.consolidation_max_hu)).c_str());
  }
  redraw();
}

void LungOverlay::setContourShown(bool on) {
  contour_ = on;
  redraw();
}

void LungOverlay::setOpacitiesShown(bool on) {
  opacities_ = on;
  redraw();
}

bool LungOverlay::legendShown() const { return legend_[0]->GetVisibility() || legend_[1]->GetVisibility(); }

void LungOverlay::redraw() {
  if (!view_) return;
  const auto& model = view_->model();
  const int z = model.slice();
  const bool want = analysis_ && (contour_ || opacities_) && model.hasVolume() && model.currentSliceReady() &&
                    analysis_->mask.geometry.cols == model.layout().cols() &&
                    analysis_->mask.geometry.rows == model.layout().rows() && z < analysis_->mask.geometry.slices;
  if (!want) {
    drawnSlice_ = -1;
    actor_->VisibilityOff();
  } else {
    const core::dicom::DisplayFlip flip{model.layout().flipX(), model.layout().flipY()};
    upload(paint::lungLayer(*analysis_, z, model.volume()->slice(z), model.layout().cols(), model.layout().rows(),
                            flip, {contour_, opacities_})
               .convertToFormat(QImage::Format_RGBA8888));
    drawnSlice_ = z;
    actor_->VisibilityOn();
  }
  legend_[0]->SetVisibility(want && contour_);
  legend_[1]->SetVisibility(want && opacities_);
  legend_[2]->SetVisibility(want && opacities_);
  view_->update();
}

void LungOverlay::upload(const QImage& layer) {
  const auto& layout = view_->model().layout();
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
    std::memcpy(out + static_cast<std::size_t>(r) * cols * 4, layer.constScanLine(r), static_cast<std::size_t>(cols) * 4);
  image_->Modified();
}

}  // namespace lunglens::ui::ai
