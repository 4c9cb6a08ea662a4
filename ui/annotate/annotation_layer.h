#pragma once
// Draws the presenter's annotations on the slice view with ui/paint's paintAnnotations (one implementation of how
// an annotation looks, shared with exported images): painted at screen resolution into a transparent RGBA image
// that a VTK image actor lays over exactly the view, just above the slice and the heatmap. It is repainted only
// when the annotations, the slice or the camera changed, and hidden (costing nothing) on slices without any, so
// scrolling stays as smooth as without annotations.
#include <QObject>
#include <QPointer>
#include <tuple>
#include <vtkSmartPointer.h>

class vtkImageActor;
class vtkImageData;

namespace lunglens::ui::viewer {
class SliceView;
}

namespace lunglens::ui::annotate {

class AnnotationPresenter;

class AnnotationLayer : public QObject {
  Q_OBJECT
 public:
  AnnotationLayer(viewer::SliceView* view, const AnnotationPresenter* presenter, QObject* parent = nullptr);
  ~AnnotationLayer() override;

  // The annotations changed: repaint before the next frame.
  void invalidate();
  // How many annotations the last frame drew (for tests).
  int drawnCount() const { return drawnCount_; }

 private:
  void prepare();

  QPointer<viewer::SliceView> view_;
  const AnnotationPresenter* presenter_;
  vtkSmartPointer<vtkImageData> image_;
  vtkSmartPointer<vtkImageActor> actor_;
  bool dirty_ = true;
  // What the last paint was for: slice, zoom, centre, view size, pixel ratio.
  std::tuple<int, double, double, double, double, double, double> paintedFor_{-1, 0, 0, 0, 0, 0, 0};
  int drawnCount_ = 0;
};

}  // namespace lunglens::ui::annotate
