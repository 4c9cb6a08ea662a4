#pragma once
// One view of the MPR model (axial, coronal, sagittal or the slab view): the plane windowed to grey, the crosshair
// (coloured by the plane each line stands for, with a gap at its centre so it never hides the finding), the
// orientation letters, the plane's position and window, and on coronal/sagittal views the per-slice AI score as a
// thin colour bar along the z axis at the image's left edge.
//
// Input: left click or drag moves the crosshair; wheel scrolls the plane (Ctrl+wheel zooms); right drag adjusts
// the window, middle drag pans; 1/2/3 window presets; R resets the views. World coordinates are displayed-image
// millimetres, x right, y down, as in the axial SliceView.
#include <QPoint>
#include <array>
#include <vtkSmartPointer.h>

#include "ui/common/vtk_view_widget.h"
#include "ui/mpr/mpr_model.h"

class vtkActor;
class vtkImageActor;
class vtkImageData;
class vtkPoints;
class vtkPolyData;
class vtkTextActor;

namespace lunglens::ui::mpr {

class MprView : public VtkViewWidget {
  Q_OBJECT
 public:
  MprView(MprModel* model, int view, QWidget* parent = nullptr);
  ~MprView() override;

  int view() const { return view_; }

 protected:
  void prepareRender() override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  enum class Drag { None, Cursor, Pan, Window };
  void uploadImage();
  void uploadScoreBar();
  void updateCamera();
  void updateCrosshair();
  void updateText();

  MprModel* model_;
  int view_;
  vtkSmartPointer<vtkImageData> image_, bar_;
  vtkSmartPointer<vtkImageActor> imageActor_, barActor_;
  // Two crosshair lines (horizontal, vertical), each drawn as two segments around the gap.
  std::array<vtkSmartPointer<vtkPoints>, 2> linePoints_;
  std::array<vtkSmartPointer<vtkPolyData>, 2> lines_;
  std::array<vtkSmartPointer<vtkActor>, 2> lineActors_;
  // 0 lower left, 1 lower right, 2 upper left; then the letters: 3 bottom, 4 right, 5 left, 6 top.
  std::array<vtkSmartPointer<vtkTextActor>, 7> texts_;
  bool imageDirty_ = true, barDirty_ = true;
  Drag drag_ = Drag::None;
  QPoint dragOrigin_, lastMouse_;
  double wheelRemainder_ = 0.0;
};

// The colour of a plane's crosshair line and view border: axial red, coronal green, sagittal yellow (3D Slicer's).
std::array<double, 3> planeColour(core::volume::Plane plane);
// The AI bar's colour for a probability (< 0: not scored, fully transparent): dim teal below the threshold,
// amber to red above it. RGBA 0..255.
std::array<unsigned char, 4> scoreColour(float probability, double threshold);

}  // namespace lunglens::ui::mpr
