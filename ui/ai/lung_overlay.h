#pragma once
// The lung analysis on the slice view: the lungs' contour (L) and the opacities inside them in two colours,
// ground glass and consolidation by the analysis' HU bands (G), drawn as a VTK image just above the slice, with a
// small legend at the left edge. Only ever drawn on the slice it was made for, and only for the analysis of the
// shown series. Making the layer is a pass over one slice (about a millisecond): done on the UI thread.
#include <vtkSmartPointer.h>

#include <QObject>
#include <QPointer>
#include <memory>

#include "core/lung/lung_analysis.h"

class QImage;
class vtkImageData;
class vtkImageActor;
class vtkTextActor;

namespace lunglens::ui::viewer {
class SliceView;
}

namespace lunglens::ui::ai {

class LungOverlay : public QObject {
  Q_OBJECT
 public:
  explicit LungOverlay(viewer::SliceView* view, QObject* parent = nullptr);
  ~LungOverlay() override;

  // The analysis of the view's volume (null: nothing to draw).
  void setAnalysis(std::shared_ptr<const core::lung::LungAnalysis> analysis);
  void setContourShown(bool on);
  void setOpacitiesShown(bool on);
  bool contourShown() const { return contour_; }
  bool opacitiesShown() const { return opacities_; }
  // The slice drawn now (-1: nothing on screen).
  int drawnSlice() const { return drawnSlice_; }
  bool legendShown() const;

 private:
  void redraw();
  void upload(const QImage& layer);

  QPointer<viewer::SliceView> view_;
  std::shared_ptr<const core::lung::LungAnalysis> analysis_;
  vtkSmartPointer<vtkImageData> image_;
  vtkSmartPointer<vtkImageActor> actor_;
  vtkSmartPointer<vtkTextActor> legend_[3];  // contour, ground glass, consolidation
  bool contour_ = false, opacities_ = false;
  int drawnSlice_ = -1;
};

}  // namespace lunglens::ui::ai
