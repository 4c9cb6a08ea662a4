#pragma once
// The presenter model of the MPR room: one volume seen in four views (axial, coronal, sagittal and a thick-slab
// view), one crosshair linking them, and each view's window, zoom and pan (optionally linked). Widgets only bind to
// it: they forward input here and redraw on its signals. Pure value math on top of core::volume's reformat
// functions, so the tests check it without a display. Lives on the UI thread.
//
// Measurements and annotations stay on the axial viewer (ui/annotate saves them per axial slice); the reformat
// views show and move the crosshair only. That keeps one place where lengths and ROIs are drawn and saved.
#include <QObject>
#include <QString>
#include <array>
#include <optional>
#include <vector>

#include "core/volume/reformat.h"
#include "core/volume/volume.h"
#include "core/volume/window.h"

namespace lunglens::ui::mpr {

enum class Layout { One, OneByThree, TwoByTwo };
constexpr int kViews = 4;  // 0 axial, 1 coronal, 2 sagittal, 3 the slab view
constexpr int kSlabView = 3;

struct Point {
  double x = 0.0, y = 0.0;  // view pixels, origin top-left, y down
};

// Where one view looks: zoom relative to "fit the plane", and the displayed-image point (mm from its top-left) at
// the view's centre.
struct ViewState {
  core::volume::Window window = core::volume::lungWindow();
  double zoom = 1.0;
  double centre_x_mm = 0.0, centre_y_mm = 0.0;
  double width_px = 1.0, height_px = 1.0;
};

class MprModel : public QObject {
  Q_OBJECT
 public:
  static constexpr double kMinZoom = 0.25, kMaxZoom = 32.0;

  explicit MprModel(QObject* parent = nullptr);

  // Shows a volume. `positions`: ImagePositionPatient per slice (for the gantry-tilt check; may be empty).
  // `imageNumbers`: the reader's number per slice (core::dicom::imageNumbers), shown as "Im"; may be empty.
  // A geometry that cannot be reformatted leaves refusal() set and every view empty.
  void setVolume(core::volume::VolumePtr volume, const std::vector<core::volume::Vec3>& positions = {},
                 std::vector<int> imageNumbers = {});
  void clear();

  const core::volume::VolumePtr& volume() const { return volume_; }
  bool hasVolume() const { return volume_ != nullptr && refusal_.isEmpty(); }
  const QString& refusal() const { return refusal_; }  // why there are no reformats (empty: there are)

  core::volume::Plane plane(int view) const;
  const core::volume::PlaneFrame& frame(int view) const { return frames_[static_cast<std::size_t>(view)]; }
  const ViewState& state(int view) const { return states_[static_cast<std::size_t>(view)]; }

  // The crosshair as a voxel (column, row, slice).
  const std::array<int, 3>& cursor() const { return cursor_; }
  void setCursor(std::array<int, 3> voxel);  // clamped
  // The plane index across view `view` (the crosshair's coordinate along its depth axis).
  int depth(int view) const;
  // The planes the view projects: one plane, or the slab around it for the slab view.
  std::array<int, 2> planeRange(int view) const;
  // The view's pixels (HU, frame.height x frame.width, displayed orientation).
  std::vector<std::int16_t> image(int view) const;
  // A click or drag in a view moves the crosshair's two in-plane coordinates there; the depth stays.
  void pickAt(int view, Point p);
  void scrollBy(int view, int steps);  // moves the depth; + = toward the higher voxel index

  // Patient position (LPS mm) of the crosshair, and the reader's image number of its axial slice.
  core::volume::Vec3 cursorPatient_mm() const;
  int imageNumber(int slice) const;

  // View geometry
  void setViewport(int view, double width_px, double height_px);
  double pixelsPerMm(int view) const;
  Point imageMmToView(int view, double x_mm, double y_mm) const;
  void viewToImageMm(int view, Point p, double& x_mm, double& y_mm) const;
  // The displayed pixel (column, row) under a view point, or nothing outside the plane.
  std::optional<std::array<int, 2>> viewToPixel(int view, Point p) const;
  // The crosshair's centre in view pixels.
  Point crosshairInView(int view) const;

  // Window, zoom, pan: applied to every view when linked.
  bool linked() const { return linked_; }
  void setLinked(bool linked);
  void setWindow(int view, const core::volume::Window& window);
  void applyPreset(int view, int number);  // 1 lung, 2 mediastinum, 3 bone
  void beginWindowDrag(int view);
  void dragWindow(int view, double dx_px, double dy_px);
  void zoomAt(int view, double factor, Point anchor);
  void panBy(int view, double dx_px, double dy_px);
  void resetViews();

  // Layout and slab
  Layout layout() const { return layout_; }
  void setLayout(Layout layout);
  core::volume::Plane slabPlane() const { return slabPlane_; }
  core::volume::SlabMode slabMode() const { return slabMode_; }
  double slabThickness_mm() const { return slabThickness_mm_; }
  void setSlab(core::volume::Plane plane, core::volume::SlabMode mode, double thickness_mm);

  // Per-slice AI score (probability of the disease class; < 0 = not scored), drawn along the z axis of the
  // coronal and sagittal views. `threshold`: where the colour turns to "suspicious".
  void setSliceScores(std::vector<float> scores, double threshold);
  const std::vector<float>& sliceScores() const { return scores_; }
  double scoreThreshold() const { return threshold_; }

 signals:
  void volumeChanged();
  void imageChanged(int view);  // the view's pixels changed (plane, slab or window)
  void viewChanged(int view);   // camera or crosshair moved (no new pixels)
  void cursorChanged();
  void layoutChanged();
  void scoresChanged();

 private:
  void fit(int view);
  template <typename F>
  void forViews(int view, F f);  // f(v) for the view, or all views when linked

  core::volume::VolumePtr volume_;
  QString refusal_;
  core::volume::AxisMap axes_;
  std::array<core::volume::PlaneFrame, kViews> frames_{};
  std::array<ViewState, kViews> states_{};
  std::array<int, 3> cursor_{0, 0, 0};
  std::vector<int> imageNumbers_;
  bool linked_ = true;
  Layout layout_ = Layout::OneByThree;
  core::volume::Plane slabPlane_ = core::volume::Plane::Axial;
  core::volume::SlabMode slabMode_ = core::volume::SlabMode::Mip;
  double slabThickness_mm_ = 10.0;
  core::volume::Window dragStart_;
  std::vector<float> scores_;
  double threshold_ = 0.5;
};

}  // namespace lunglens::ui::mpr
