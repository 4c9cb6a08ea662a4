#include "ui/annotate/annotation_presenter.h"

#include <QLineF>
#include <QPolygonF>
#include <QRectF>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::ui::annotate {

namespace ann = core::annotation;
namespace ann = core::annotation;
using ann::Annotation;
using ann::AnnotationKind;

namespace {

double distanceToSegment(QPointF p, QPointF a, QPointF b) {
  const QPointF ab = b - a;
  const double len2 = QPointF::dotProduct(ab, ab);
  const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  return QLineF(p, a + t * ab).length();
}

// Distance from `p` to a shape's outline in painter pixels, or 0 when `p` lies inside a region.
double distanceTo(const Annotation& a, QPointF p, const paint::SlicePlacement& place) {
  std::vector<QPointF> pts;
  for (const auto& v : a.points) pts.push_back(place.toPainter(v));
  switch (a.kind) {
    case AnnotationKind::Arrow:
    case AnnotationKind::Length:
      return distanceToSegment(p, pts[0], pts[1]);
    case AnnotationKind::Text: {
      // The anchor and the label beside it (drawn from the anchor to the right and a little down).
      const QRectF label(pts[0] - QPointF(4, 10), QSizeF(12 + 7.5 * a.text.size(), 26));
      return label.contains(p) ? 0.0 : QLineF(p, pts[0]).length();
    }
    case AnnotationKind::Ellipse: {
      const QRectF box = QRectF(pts[0], pts[1]).normalized();
      const double rx = box.width() / 2, ry = box.height() / 2;
      if (rx <= 0 || ry <= 0) return distanceToSegment(p, pts[0], pts[1]);
      const double dx = (p.x() - box.center().x()) / rx, dy = (p.y() - box.center().y()) / ry;
      const double r = std::hypot(dx, dy);
      return r <= 1.0 ? 0.0 : (r - 1.0) * std::min(rx, ry);
    }
    case AnnotationKind::Freehand: {
      const QPolygonF polygon(QList<QPointF>(pts.begin(), pts.end()));
      if (polygon.containsPoint(p, Qt::OddEvenFill)) return 0.0;
      double best = 1e300;
      for (std::size_t i = 0; i < pts.size(); ++i) best = std::min(best, distanceToSegment(p, pts[i], pts[(i + 1) % pts.size()]));
      return best;
    }
  }
  return 1e300;
}

bool validShape(const Annotation& a) {
  try {
    ann::validate(a);
    return true;
  } catch (const core::InputError&) {
    return false;
  }
}

}  // namespace

std::string toString(Tool tool) {
  switch (tool) {
    case Tool::Select: return "Select";
    case Tool::Arrow: return "Arrow";
    case Tool::Text: return "Text";
    case Tool::Length: return "Length";
    case Tool::Ellipse: return "Ellipse";
    case Tool::Freehand: return "Freehand";
  }
  return "?";
}

void AnnotationPresenter::setDocument(ann::AnnotationDocument* document) {
  cancelGesture();
  doc_ = document;
}

void AnnotationPresenter::setSlice(SliceContext slice) {
  cancelGesture();
  slice_ = std::move(slice);
}

void AnnotationPresenter::setTool(Tool tool) {
  cancelGesture();
  tool_ = tool;
}

void AnnotationPresenter::cancelGesture() {
  const bool hadPreview = drawing_.has_value();
  dragEdited_ = false;
  gesture_ = Gesture::None;
  drawing_.reset();
  if (hadPreview) previewChanged();
}

void AnnotationPresenter::previewChanged() {
  if (onPreview_) onPreview_();
}

Annotation AnnotationPresenter::newShape(ann::VoxelPoint at) const {
  Annotation a;
  a.series_uid = slice_.series_uid;
  a.slice = slice_.slice;
  a.sop_instance_uid = slice_.sop_instance_uid;
  switch (tool_) {
    case Tool::Arrow: a.kind = AnnotationKind::Arrow; break;
    case Tool::Text: a.kind = AnnotationKind::Text; break;
    case Tool::Length: a.kind = AnnotationKind::Length; break;
    case Tool::Ellipse: a.kind = AnnotationKind::Ellipse; break;
    case Tool::Freehand: a.kind = AnnotationKind::Freehand; break;
    case Tool::Select: break;
  }
  a.points = {at};
  if (a.kind != AnnotationKind::Text && a.kind != AnnotationKind::Freehand) a.points.push_back(at);
  return a;
}

const Annotation* AnnotationPresenter::selectedOnSlice() const {
  if (!doc_ || !doc_->selected()) return nullptr;
  const Annotation* a = doc_->state().find(*doc_->selected());
  return a && a->series_uid == slice_.series_uid && a->slice == slice_.slice ? a : nullptr;
}

bool AnnotationPresenter::press(QPointF p, const paint::SlicePlacement& place) {
  if (!doc_ || slice_.slice < 0 || place.cols <= 0) return false;
  cancelGesture();
  pressAt_ = lastAt_ = p;
  const ann::VoxelPoint at = place.toVoxel(p);
  if (tool_ == Tool::Select) {
    if (const auto h = handleAt(p, place)) {
      original_ = *selectedOnSlice();
      handle_ = *h;
      gesture_ = Gesture::Handle;
      return true;
    }
    if (const auto id = hitTest(p, place)) {
      doc_->select(id);
      original_ = *doc_->state().find(*id);
      gesture_ = Gesture::Move;
      return true;
    }
    doc_->select(std::nullopt);
    return false;  // the view pans
  }
  drawing_ = newShape(at);
  gesture_ = tool_ == Tool::Text ? Gesture::PlaceText : Gesture::Draw;
  previewChanged();
  return true;
}

bool AnnotationPresenter::move(QPointF p, const paint::SlicePlacement& place) {
  if (gesture_ == Gesture::None || !doc_) return false;
  const ann::VoxelPoint at = place.toVoxel(p);
  switch (gesture_) {
    case Gesture::Draw:
      if (drawing_->kind == AnnotationKind::Freehand) {
        if (QLineF(p, lastAt_).length() < kFreehandStep_px) return true;
        drawing_->points.push_back(at);
      } else {
        drawing_->points[1] = at;
      }
      previewChanged();
      break;
    case Gesture::PlaceText:
      drawing_->points[0] = at;
      previewChanged();
      break;
    case Gesture::Move:
    case Gesture::Handle: {
      if (!doc_->state().find(original_.id)) {  // undone from under the mouse
        cancelGesture();
        return true;
      }
      Annotation a = original_;
      if (gesture_ == Gesture::Handle) {
        a.points[handle_] = at;
      } else {
        const ann::VoxelPoint from = place.toVoxel(pressAt_);
        for (auto& v : a.points) v = {v.x + at.x - from.x, v.y + at.y - from.y};
      }
      // One undo step per drag: each move replaces the drag's own step (the document's merge would also fold a
      // later drag of the same annotation into this one when nothing was saved in between).
      if (dragEdited_) doc_->undo();
      doc_->update(a);
      dragEdited_ = !(a == original_);
      break;
    }
    case Gesture::None: break;
  }
  lastAt_ = p;
  return true;
}

bool AnnotationPresenter::release(QPointF p, const paint::SlicePlacement& place) {
  if (gesture_ == Gesture::None || !doc_) return false;
  move(p, place);
  const Gesture gesture = gesture_;
  std::optional<Annotation> shape = std::move(drawing_);
  gesture_ = Gesture::None;
  dragEdited_ = false;
  drawing_.reset();
  if (gesture == Gesture::Draw) {
    // A click without a drag draws nothing (a zero-length line or a dot of a region is never meant).
    const bool bigEnough = shape->kind == AnnotationKind::Freehand
                               ? shape->points.size() >= 3
                               : QLineF(place.toPainter(shape->points[0]), place.toPainter(shape->points[1])).length() >=
                                     kMinShape_px;
    if (bigEnough && validShape(*shape)) doc_->select(doc_->add(*shape));
  } else if (gesture == Gesture::PlaceText) {
    const auto text = prompt_ ? prompt_("") : std::nullopt;
    if (text && !text->empty()) {
      shape->text = *text;
      doc_->select(doc_->add(*shape));
    }
  }
  previewChanged();
  return true;
}

bool AnnotationPresenter::deleteSelected() {
  const Annotation* a = selectedOnSlice();
  if (!a) return false;
  cancelGesture();
  doc_->remove(a->id);
  return true;
}

bool AnnotationPresenter::editSelectedText() {
  const Annotation* a = selectedOnSlice();
  if (!a || !prompt_) return false;
  Annotation edited = *a;
  const auto text = prompt_(a->text);
  if (!text || (edited.kind == AnnotationKind::Text && text->empty())) return false;
  edited.text = *text;
  doc_->update(edited);
  return true;
}

std::optional<ann::AnnotationId> AnnotationPresenter::hitTest(QPointF p, const paint::SlicePlacement& place,
                                                             double tolerance_px) const {
  if (!doc_) return std::nullopt;
  const auto onSlice = doc_->state().onSlice(slice_.series_uid, slice_.slice);
  // Topmost first; among overlapping regions the one whose outline is nearest wins ties by drawing order.
  for (auto it = onSlice.rbegin(); it != onSlice.rend(); ++it) {
    if (distanceTo(*it, p, place) <= tolerance_px) return it->id;
  }
  return std::nullopt;
}

std::optional<std::size_t> AnnotationPresenter::handleAt(QPointF p, const paint::SlicePlacement& place,
                                                         double tolerance_px) const {
  const Annotation* a = selectedOnSlice();
  if (!a || a->kind == AnnotationKind::Text) return std::nullopt;  // a label moves as a whole
  for (std::size_t i = 0; i < a->points.size(); ++i) {
    if (QLineF(p, place.toPainter(a->points[i])).length() <= tolerance_px) return i;
  }
  return std::nullopt;
}

std::vector<Annotation> AnnotationPresenter::visible() const {
  std::vector<Annotation> out;
  if (doc_) out = doc_->state().onSlice(slice_.series_uid, slice_.slice);
  if (drawing_ && drawing_->kind != AnnotationKind::Text && validShape(*drawing_)) out.push_back(*drawing_);
  return out;
}

}  // namespace lunglens::ui::annotate
