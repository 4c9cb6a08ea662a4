#include "ui/mpr/mpr_model.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::ui::mpr {

namespace cv = core::volume;

namespace {
constexpr double kWidthHuPerPixel = 4.0, kLevelHuPerPixel = 2.0;  // as the axial viewer
}

MprModel::MprModel(QObject* parent) : QObject(parent) {}

template <typename F>
void MprModel::forViews(int view, F f) {
  if (!linked_) {
    f(view);
    return;
  }
  for (int v = 0; v < kViews; ++v) f(v);
}

cv::Plane MprModel::plane(int view) const {
  return view == kSlabView ? slabPlane_ : static_cast<cv::Plane>(view);
}

void MprModel::setVolume(cv::VolumePtr volume, const std::vector<cv::Vec3>& positions, std::vector<int> imageNumbers) {
  volume_ = std::move(volume);
  imageNumbers_ = std::move(imageNumbers);
  refusal_.clear();
  if (volume_) {
    const cv::Geometry& g = volume_->geometry();
    try {
      axes_ = cv::axisMap(g);
      const double tilt = cv::stackTilt_deg(g, positions);
      if (tilt > cv::kMaxObliqueDeg) {
        throw core::InputError("reformat", "gantry-tilted series (the slices are stacked " +
                                               std::to_string(static_cast<int>(std::lround(tilt))) +
                                               " degrees off their normal): coronal and sagittal reformats are not "
                                               "supported; read it axially");
      }
      for (int v = 0; v < kViews; ++v) frames_[static_cast<std::size_t>(v)] = cv::planeFrame(g, axes_, plane(v));
      cursor_ = {g.cols / 2, g.rows / 2, g.slices / 2};
    } catch (const core::InputError& e) {
      refusal_ = QString::fromStdString(e.what());
    }
  }
  resetViews();
  emit volumeChanged();
  emit cursorChanged();
  for (int v = 0; v < kViews; ++v) emit imageChanged(v);
}

void MprModel::clear() { setVolume(nullptr); }

int MprModel::depth(int view) const { return cursor_[static_cast<std::size_t>(frame(view).depth_axis)]; }

std::array<int, 2> MprModel::planeRange(int view) const {
  const int d = depth(view);
  if (view != kSlabView) return {d, d};
  const cv::PlaneFrame& f = frame(view);
  return cv::slabRange(d, slabThickness_mm_, f.depth_spacing_mm, f.depth_count);
}

std::vector<std::int16_t> MprModel::image(int view) const {
  if (!hasVolume()) return {};
  const auto range = planeRange(view);
  return cv::renderPlane(*volume_, frame(view), range[0], range[1], slabMode_);
}

void MprModel::setCursor(std::array<int, 3> voxel) {
  if (!hasVolume()) return;
  const cv::Geometry& g = volume_->geometry();
  for (int a = 0; a < 3; ++a) voxel[a] = std::clamp(voxel[a], 0, std::max(0, cv::axisCount(g, a) - 1));
  if (voxel == cursor_) return;
  std::array<int, kViews> before{};
  for (int v = 0; v < kViews; ++v) before[v] = depth(v);
  cursor_ = voxel;
  for (int v = 0; v < kViews; ++v) {
    if (depth(v) != before[v]) emit imageChanged(v);
    emit viewChanged(v);
  }
  emit cursorChanged();
}

void MprModel::pickAt(int view, Point p) {
  const auto pixel = viewToPixel(view, p);
  if (!pixel) return;
  const cv::PlaneFrame& f = frame(view);
  std::array<int, 3> c = cursor_;
  c[static_cast<std::size_t>(f.h_axis)] = f.displayCol((*pixel)[0]);
  c[static_cast<std::size_t>(f.v_axis)] = f.displayRow((*pixel)[1]);
  setCursor(c);
}

void MprModel::scrollBy(int view, int steps) {
  std::array<int, 3> c = cursor_;
  c[static_cast<std::size_t>(frame(view).depth_axis)] += steps;
  setCursor(c);
}

cv::Vec3 MprModel::cursorPatient_mm() const {
  if (!volume_) return {0, 0, 0};
  const cv::Geometry& g = volume_->geometry();
  cv::Vec3 p = g.voxelToPatient(cursor_[0], cursor_[1], 0);
  // The slice's own position along the normal (exact for uneven stacks) rather than the nominal spacing.
  const double along = volume_->slicePosition_mm(cursor_[2]) - cv::dot(g.origin_mm, g.normal);
  for (int i = 0; i < 3; ++i) p[i] += along * g.normal[i];
  return p;
}

int MprModel::imageNumber(int slice) const {
  if (slice >= 0 && slice < static_cast<int>(imageNumbers_.size())) return imageNumbers_[slice];
  return slice + 1;
}

void MprModel::setViewport(int view, double w, double h) {
  auto& s = states_[static_cast<std::size_t>(view)];
  s.width_px = std::max(1.0, w);
  s.height_px = std::max(1.0, h);
  emit viewChanged(view);
}

double MprModel::pixelsPerMm(int view) const {
  const cv::PlaneFrame& f = frame(view);
  const ViewState& s = state(view);
  if (f.width <= 0 || f.height <= 0) return 1.0;
  return std::min(s.width_px / f.width_mm(), s.height_px / f.height_mm()) * s.zoom;
}

Point MprModel::imageMmToView(int view, double x_mm, double y_mm) const {
  const ViewState& s = state(view);
  const double k = pixelsPerMm(view);
  return {s.width_px / 2.0 + (x_mm - s.centre_x_mm) * k, s.height_px / 2.0 + (y_mm - s.centre_y_mm) * k};
}

void MprModel::viewToImageMm(int view, Point p, double& x_mm, double& y_mm) const {
  const ViewState& s = state(view);
  const double k = pixelsPerMm(view);
  x_mm = s.centre_x_mm + (p.x - s.width_px / 2.0) / k;
  y_mm = s.centre_y_mm + (p.y - s.height_px / 2.0) / k;
}

std::optional<std::array<int, 2>> MprModel::viewToPixel(int view, Point p) const {
  if (!hasVolume()) return std::nullopt;
  const cv::PlaneFrame& f = frame(view);
  double x = 0, y = 0;
  viewToImageMm(view, p, x, y);
  const double c = std::floor(x / f.h_spacing_mm), r = std::floor(y / f.v_spacing_mm);
  if (c < 0 || r < 0 || c >= f.width || r >= f.height) return std::nullopt;
  return std::array<int, 2>{static_cast<int>(c), static_cast<int>(r)};
}

Point MprModel::crosshairInView(int view) const {
  const cv::PlaneFrame& f = frame(view);
  const double x = (f.displayCol(cursor_[static_cast<std::size_t>(f.h_axis)]) + 0.5) * f.h_spacing_mm;
  const double y = (f.displayRow(cursor_[static_cast<std::size_t>(f.v_axis)]) + 0.5) * f.v_spacing_mm;
  return imageMmToView(view, x, y);
}

void MprModel::setLinked(bool linked) { linked_ = linked; }

void MprModel::setWindow(int view, const cv::Window& window) {
  forViews(view, [&](int v) {
    states_[static_cast<std::size_t>(v)].window = window;
    emit imageChanged(v);
  });
}

void MprModel::applyPreset(int view, int number) {
  if (number == 1) setWindow(view, cv::lungWindow());
  if (number == 2) setWindow(view, cv::mediastinumWindow());
  if (number == 3) setWindow(view, cv::boneWindow());
}

void MprModel::beginWindowDrag(int view) { dragStart_ = state(view).window; }

void MprModel::dragWindow(int view, double dx, double dy) {
  cv::Window w = dragStart_;
  w.width = std::max(1.0, dragStart_.width + dx * kWidthHuPerPixel);
  w.level = dragStart_.level + dy * kLevelHuPerPixel;
  w.name.clear();
  setWindow(view, w);
}

void MprModel::zoomAt(int view, double factor, Point anchor) {
  forViews(view, [&](int v) {
    auto& s = states_[static_cast<std::size_t>(v)];
    // The anchor is a point of the view the input came from; other linked views zoom about their own centre.
    const Point a = v == view ? anchor : Point{s.width_px / 2.0, s.height_px / 2.0};
    double ax = 0, ay = 0;
    viewToImageMm(v, a, ax, ay);
    s.zoom = std::clamp(s.zoom * factor, kMinZoom, kMaxZoom);
    const double k = pixelsPerMm(v);
    s.centre_x_mm = ax - (a.x - s.width_px / 2.0) / k;
    s.centre_y_mm = ay - (a.y - s.height_px / 2.0) / k;
    emit viewChanged(v);
  });
}

void MprModel::panBy(int view, double dx, double dy) {
  forViews(view, [&](int v) {
    auto& s = states_[static_cast<std::size_t>(v)];
    const double k = pixelsPerMm(v);
    s.centre_x_mm -= dx / k;
    s.centre_y_mm -= dy / k;
    emit viewChanged(v);
  });
}

void MprModel::fit(int view) {
  auto& s = states_[static_cast<std::size_t>(view)];
  s.zoom = 1.0;
  s.centre_x_mm = frame(view).width_mm() / 2.0;
  s.centre_y_mm = frame(view).height_mm() / 2.0;
}

void MprModel::resetViews() {
  for (int v = 0; v < kViews; ++v) {
    fit(v);
    states_[static_cast<std::size_t>(v)].window = cv::lungWindow();
    emit imageChanged(v);
    emit viewChanged(v);
  }
}

void MprModel::setLayout(Layout layout) {
  if (layout == layout_) return;
  layout_ = layout;
  emit layoutChanged();
}

void MprModel::setSlab(cv::Plane plane, cv::SlabMode mode, double thickness_mm) {
  const bool planeChanged = plane != slabPlane_;
  slabPlane_ = plane;
  slabMode_ = mode;
  slabThickness_mm_ = std::max(0.0, thickness_mm);
  if (planeChanged && volume_ && refusal_.isEmpty()) {
    frames_[kSlabView] = cv::planeFrame(volume_->geometry(), axes_, plane);
    fit(kSlabView);
    emit viewChanged(kSlabView);
  }
  emit imageChanged(kSlabView);
}

void MprModel::setSliceScores(std::vector<float> scores, double threshold) {
  scores_ = std::move(scores);
  threshold_ = threshold;
  emit scoresChanged();
}

}  // namespace lunglens::ui::mpr
