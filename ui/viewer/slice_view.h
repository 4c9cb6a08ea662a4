#pragma once
// The axial slice view: draws the model's current slice, windowed to 8-bit grey, with the corner overlays, and
// forwards mouse and keys to the model. Redraws only on the model's signals; one vtkImageData is reused for every
// slice, so scrolling allocates no VTK objects.
//
// Extra layers (heatmaps, annotations) add VTK props with addLayer(). World coordinates are displayed-image
// millimetres: x to the right, y down the screen, origin at the displayed image's top-left corner, the image in
// the plane z = 0 and the camera on the -z side (a layer at z = -0.1 * k lies above the image). Use
// model().layout() to place things by voxel (it knows the radiological flips).
#include <QPoint>
#include <array>
#include <functional>
#include <vector>
#include <vtkSmartPointer.h>

#include "ui/common/vtk_view_widget.h"
#include "ui/viewer/viewer_model.h"

class vtkImageData;
class vtkImageActor;
class vtkTextActor;
class vtkProp;
class QKeyEvent;
class QMouseEvent;

namespace lunglens::ui::viewer {

// An active tool (annotation drawing, editing) gets the left mouse button before panning does. Each call returns
// true when the tool used the event; an unused press pans as usual.
class ViewTool {
 public:
  virtual ~ViewTool() = default;
  virtual bool press(QMouseEvent* event) = 0;
  virtual bool move(QMouseEvent* event) = 0;
  virtual bool release(QMouseEvent* event) = 0;
};

class SliceView : public VtkViewWidget {
  Q_OBJECT
 public:
  explicit SliceView(ViewerModel* model, QWidget* parent = nullptr);
  ~SliceView() override;

  ViewerModel& model() const { return *model_; }
  void addLayer(vtkProp* prop);
  void removeLayer(vtkProp* prop);
  // Overlay font size in points (before the device pixel ratio).
  void setOverlayFontSize(int points);
  // Shows or hides all overlay text (corners and orientation letters).
  void setOverlayVisible(bool visible);
  bool overlayVisible() const { return overlayVisible_; }
  // The tool that takes the left button (null: none; the view does not own it).
  void setTool(ViewTool* tool) { tool_ = tool; }
  // Called before each frame, after the camera is set: layers that follow the camera bring themselves up to date.
  void addPrepareHook(std::function<void()> hook) { prepareHooks_.push_back(std::move(hook)); }

 protected:
  void prepareRender() override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  enum class Drag { None, Pan, Window, Zoom };
  void uploadSlice();
  void updateCamera();
  void updateOverlay();

  ViewerModel* model_;
  vtkSmartPointer<vtkImageData> image_;
  vtkSmartPointer<vtkImageActor> imageActor_;
  // Overlay text: 0 lower left, 1 lower right, 2 upper left, 3 upper right; then the orientation letters at the
  // edges: 4 bottom, 5 right, 6 left, 7 top.
  std::array<vtkSmartPointer<vtkTextActor>, 8> texts_;
  bool imageDirty_ = true;
  int fontPoints_ = 11;
  bool overlayVisible_ = true;
  Drag drag_ = Drag::None;
  QPoint dragOrigin_, lastMouse_;
  double wheelRemainder_ = 0.0;
  ViewTool* tool_ = nullptr;
  bool toolDrag_ = false;  // the tool took the press: it gets the moves and the release
  std::vector<std::function<void()>> prepareHooks_;
};

}  // namespace lunglens::ui::viewer
