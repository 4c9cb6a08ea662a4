#pragma once
// The presenter model of the slice viewer: which slice, which window, where the camera looks, whether patient
// data is hidden, what lies under the cursor. Widgets only bind to it: they forward input here and redraw on its
// signals. Lives on the UI thread; the volume it shows may still be filling on a loader thread.
#include <QObject>
#include <optional>

#include "core/volume/volume.h"
#include "core/volume/window.h"
#include "ui/viewer/display_layout.h"
#include "ui/viewer/overlay_text.h"

namespace lunglens::ui::viewer {

class ViewerModel : public QObject {
  Q_OBJECT
 public:
  // Window/level drag sensitivity: HU per pixel of mouse travel.
  static constexpr double kWidthHuPerPixel = 4.0;
  static constexpr double kLevelHuPerPixel = 2.0;
  static constexpr double kMinZoom = 0.25, kMaxZoom = 32.0;

  explicit ViewerModel(QObject* parent = nullptr);

  // Shows a volume (possibly still loading). `slice` < 0 picks the middle slice.
  void setVolume(core::volume::VolumePtr volume, StudyFacts facts, int slice = -1,
                 const core::volume::Window& window = core::volume::lungWindow());
  void clear();
  // A loader published slice z (UI thread).
  void onSliceReady(int z);

  // State
  const core::volume::VolumePtr& volume() const { return volume_; }
  bool hasVolume() const { return volume_ != nullptr; }
  const DisplayLayout& layout() const { return layout_; }
  const StudyFacts& facts() const { return facts_; }
  int slice() const { return slice_; }
  int sliceCount() const { return volume_ ? volume_->slices() : 0; }
  bool currentSliceReady() const { return volume_ && volume_->sliceReady(slice_); }
  const core::volume::Window& window() const { return window_; }
  const Camera& camera() const { return camera_; }
  bool phiHidden() const { return phiHidden_; }
  double viewWidth_px() const { return viewWidth_px_; }
  double viewHeight_px() const { return viewHeight_px_; }
  std::optional<VoxelXY> cursorVoxel() const { return cursorVoxel_; }
  std::optional<int> huUnderCursor() const;
  OverlayText overlay() const;

  // Slices: clamped to the volume.
  void setSlice(int z);
  void scrollBy(int steps);  // + = higher index
  // Moving "down" the stack means toward the feet: lower positions along a normal that points to the head.
  int feetwardStep() const;

  // Window/level
  void setWindow(const core::volume::Window& window);
  void applyPreset(int number);  // 1 lung, 2 mediastinum, 3 bone; others ignored
  void beginWindowDrag();
  void dragWindow(double dx_px, double dy_px);  // relative to beginWindowDrag: right widens, down raises the level

  // Camera
  void setViewport(double width_px, double height_px);
  void zoomAt(double factor, ViewPoint anchor);  // keeps the image point under `anchor` where it is
  void panBy(double dx_px, double dy_px);        // the image follows the mouse
  void resetView();                              // fit, centred, initial window

  // Cursor and privacy
  void setCursor(std::optional<ViewPoint> p);
  void setPhiHidden(bool hidden);
  void togglePhiHidden() { setPhiHidden(!phiHidden_); }

 signals:
  void imageChanged();  // the pixels to show changed: slice, window, volume, or the shown slice became ready
  void viewChanged();   // camera, overlay text or cursor changed (no new pixels)
  void sliceChanged(int z);
  void volumeChanged();

 private:
  void updateCursor();

  core::volume::VolumePtr volume_;
  DisplayLayout layout_;
  StudyFacts facts_;
  int slice_ = 0;
  core::volume::Window window_ = core::volume::lungWindow();
  core::volume::Window initialWindow_ = core::volume::lungWindow();
  core::volume::Window dragStart_;
  Camera camera_;
  double viewWidth_px_ = 1.0, viewHeight_px_ = 1.0;
  bool phiHidden_ = false;
  std::optional<ViewPoint> cursor_;
  std::optional<VoxelXY> cursorVoxel_;
};

}  // namespace lunglens::ui::viewer
