#include "core/annotation/annotations.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"

namespace lunglens::core::annotation {

std::string toString(AnnotationKind kind) {
  switch (kind) {
    case AnnotationKind::Arrow: return "arrow";
    case AnnotationKind::Text: return "text";
    case AnnotationKind::Length: return "length";
    case AnnotationKind::Ellipse: return "ellipse";
    case AnnotationKind::Freehand: return "freehand";
  }
  throw InternalError("unknown annotation kind");
}

AnnotationKind parseAnnotationKind(const std::string& name) {
  for (auto k : {AnnotationKind::Arrow, AnnotationKind::Text, AnnotationKind::Length, AnnotationKind::Ellipse,
                 AnnotationKind::Freehand}) {
    if (toString(k) == name) return k;
  }
  throw InputError("annotation kind", "unknown kind '" + name + "' (arrow, text, length, ellipse, freehand)");
}

void validate(const Annotation& a) {
  const std::string context = "annotation " + std::to_string(a.id) + " (" + toString(a.kind) + ")";
  std::size_t want = 0;
  switch (a.kind) {
    case AnnotationKind::Text: want = 1; break;
    case AnnotationKind::Arrow:
    case AnnotationKind::Length:
    case AnnotationKind::Ellipse: want = 2; break;
    case AnnotationKind::Freehand: want = 0; break;
  }
  if (want != 0 && a.points.size() != want) {
    throw InputError(context, "needs " + std::to_string(want) + " points, has " + std::to_string(a.points.size()));
  }
  if (a.kind == AnnotationKind::Freehand && a.points.size() < 3) {
    throw InputError(context, "a freehand outline needs at least 3 points");
  }
  if (a.kind == AnnotationKind::Text && a.text.empty()) throw InputError(context, "a text label needs text");
  if (a.slice < 0) throw InputError(context, "negative slice index");
  for (const auto& p : a.points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) throw InputError(context, "point is not a finite number");
  }
}

const Annotation* StudyAnnotations::find(AnnotationId id) const {
  const auto it = std::find_if(annotations.begin(), annotations.end(), [&](const auto& a) { return a.id == id; });
  return it == annotations.end() ? nullptr : &*it;
}

std::vector<Annotation> StudyAnnotations::onSlice(const std::string& series_uid, int slice) const {
  std::vector<Annotation> out;
  for (const auto& a : annotations) {
    if (a.series_uid == series_uid && a.slice == slice) out.push_back(a);
  }
  return out;
}

std::optional<Bookmark> StudyAnnotations::bookmarkAt(const std::string& series_uid, int slice) const {
  for (const auto& b : bookmarks) {
    if (b.series_uid == series_uid && b.slice == slice) return b;
  }
  return std::nullopt;
}

AnnotationId StudyAnnotations::maxId() const {
  AnnotationId m = 0;
  for (const auto& a : annotations) m = std::max(m, a.id);
  return m;
}

}  // namespace lunglens::core::annotation
