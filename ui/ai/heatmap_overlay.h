#pragma once
// The Grad-CAM layer on the slice view: the heatmap coloured (ui/paint's colour maps, value as colour over a
// transparent background) and masked off the air outside the body (ui/paint's mask), drawn as a translucent VTK
// image just above the slice, with a colour bar saying what the colours mean. Colouring and masking run off the
// UI thread (AsyncJob); the view shows the slice at once and the heatmap when it is ready, so scrolling never
// waits for it. A heatmap is only ever drawn on the slice it belongs to.
#include <vtkSmartPointer.h>

#include <QObject>
#include <QPointer>
#include <memory>
#include <string>

#include "core/inference/heatmap.h"
#include "core/lung/lung_analysis.h"
#include "core/volume/volume.h"
#include "ui/common/async_job.h"
#include "ui/paint/heatmap_layer.h"

class QImage;
class vtkImageData;
class vtkImageActor;
class vtkLookupTable;
class vtkScalarBarActor;
class vtkTextActor;

namespace lunglens::ui::viewer {
class SliceView;
}

namespace lunglens::ui::ai {

class HeatmapOverlay : public QObject {
  Q_OBJECT
 public:
  explicit HeatmapOverlay(viewer::SliceView* view, QObject* parent = nullptr);
  ~HeatmapOverlay() override;

  // Shows `map` on slice `slice` of the view's volume once coloured (if still the shown slice then).
  void showHeatmap(int slice, const core::inference::Heatmap& map, const core::inference::InputSpec& spec,
                   const std::string& meaning);
  // No heatmap for the shown slice (yet): hides the layer at once.
  void clear();

  void setEnabled(bool on);  // the H toggle
  bool enabled() const { return enabled_; }
  void setOpacity(double opacity);  // 0..1, scales the colour map's own alpha
  double opacity() const { return opacity_; }
  void setColours(paint::HeatmapColours colours);
  // The lung analysis of the view's volume: the map is then kept inside the dilated lung mask
  // (core/export/heatmap_clip.h); null: off the air outside the body only. Redraws the shown map.
  void setLungAnalysis(std::shared_ptr<const core::lung::LungAnalysis> analysis);
  // Whether the map on screen was clipped to the lungs (false: the body-air fallback, or nothing drawn).
  bool drawnInsideLungs() const { return drawnLung_; }
  paint::HeatmapColours colours() const { return colours_; }

  // The slice whose heatmap is on screen now (-1: none).
  int drawnSlice() const { return drawnSlice_; }
  bool pending() const { return job_.busy(); }

 signals:
  void drawn(int slice);  // a heatmap was put on screen for `slice`

 private:
  void recolour();
  void upload(const QImage& layer, int slice, bool lung);
  void updateLegend();
  void applyVisibility();

  QPointer<viewer::SliceView> view_;  // the main window may destroy the view first
  vtkSmartPointer<vtkImageData> image_;
  vtkSmartPointer<vtkImageActor> actor_;
  vtkSmartPointer<vtkLookupTable> lut_;
  vtkSmartPointer<vtkScalarBarActor> bar_;
  vtkSmartPointer<vtkTextActor> title_, high_, low_;  // the bar's meaning and its ends
  struct Layer {
    QImage image;
    bool lung = false;  // clipped to the lung mask
  };
  AsyncJob<Layer> job_;
  std::shared_ptr<const core::lung::LungAnalysis> lung_;
  bool drawnLung_ = false;
  // What to draw (kept to recolour on a colour-map change).
  int slice_ = -1;
  core::inference::Heatmap map_;
  core::inference::InputSpec spec_;
  std::string meaning_;
  int drawnSlice_ = -1;
  bool enabled_ = true;
  double opacity_ = 0.8;
  paint::HeatmapColours colours_ = paint::HeatmapColours::Rainbow;
};

}  // namespace lunglens::ui::ai
