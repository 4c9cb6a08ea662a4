#include "core/annotation/annotation_document.h"

#include <algorithm>

#include "core/common/error.h"

namespace lunglens::core::annotation {
namespace {

constexpr std::size_t kUnreachable = static_cast<std::size_t>(-1);

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

AnnotationDocument::AnnotationDocument(StudyAnnotations initial) : state_(std::move(initial)) {
  for (const auto& a : state_.annotations) validate(a);
  nextId_ = state_.maxId() + 1;
}

AnnotationId AnnotationDocument::add(Annotation annotation) {
  if (annotation.id == 0) annotation.id = nextId_;
  if (state_.find(annotation.id)) throw InputError("annotation " + std::to_string(annotation.id), "id already used");
  validate(annotation);
  nextId_ = std::max(nextId_, annotation.id + 1);
  Step step;
  step.text = "Add " + toString(annotation.kind);
  step.after = annotation;
  step.index = state_.annotations.size();
  push(std::move(step));
  return annotation.id;
}

void AnnotationDocument::update(const Annotation& annotation, bool merge) {
  const auto it = std::find_if(state_.annotations.begin(), state_.annotations.end(),
                               [&](const auto& a) { return a.id == annotation.id; });
  if (it == state_.annotations.end()) {
    throw InputError("annotation " + std::to_string(annotation.id), "no such annotation to edit");
  }
  validate(annotation);
  if (*it == annotation) return;  // nothing changed: no undo step
  const std::size_t index = static_cast<std::size_t>(it - state_.annotations.begin());
  if (merge && done_ > 0 && done_ == history_.size() && saved_ != done_) {
    Step& last = history_[done_ - 1];
    if (last.mergeable && last.after && last.after->id == annotation.id) {
      last.after = annotation;
      *it = annotation;
      changed();
      return;
    }
  }
  Step step;
  step.text = "Edit " + toString(annotation.kind);
  step.before = *it;
  step.after = annotation;
  step.mergeable = merge;
  step.index = index;
  push(std::move(step));
}

void AnnotationDocument::remove(AnnotationId id) {
  const auto it = std::find_if(state_.annotations.begin(), state_.annotations.end(),
                               [&](const auto& a) { return a.id == id; });
  if (it == state_.annotations.end()) throw InputError("annotation " + std::to_string(id), "no such annotation");
  Step step;
  step.text = "Delete " + toString(it->kind);
  step.before = *it;
  step.index = static_cast<std::size_t>(it - state_.annotations.begin());
  push(std::move(step));
}

void AnnotationDocument::setBookmark(const Bookmark& bookmark) {
  if (bookmark.slice < 0) throw InputError("bookmark", "negative slice index");
  Step step;
  step.isBookmark = true;
  step.bookmarkAfter = bookmark;
  step.index = state_.bookmarks.size();
  for (std::size_t i = 0; i < state_.bookmarks.size(); ++i) {
    const auto& b = state_.bookmarks[i];
    if (b.series_uid == bookmark.series_uid && b.slice == bookmark.slice) {
      if (b == bookmark) return;
      step.bookmarkBefore = b;
      step.index = i;
    }
  }
  step.text = step.bookmarkBefore ? "Edit bookmark note" : "Add bookmark";
  push(std::move(step));
}

void AnnotationDocument::removeBookmark(const std::string& series_uid, int slice) {
  for (std::size_t i = 0; i < state_.bookmarks.size(); ++i) {
    if (state_.bookmarks[i].series_uid == series_uid && state_.bookmarks[i].slice == slice) {
      Step step;
      step.isBookmark = true;
      step.text = "Remove bookmark";
      step.bookmarkBefore = state_.bookmarks[i];
      step.index = i;
      push(std::move(step));
      return;
    }
  }
  throw InputError("bookmark of slice " + std::to_string(slice + 1), "no bookmark there");
}

std::string AnnotationDocument::undoText() const { return canUndo() ? history_[done_ - 1].text : ""; }
std::string AnnotationDocument::redoText() const { return canRedo() ? history_[done_].text : ""; }

void AnnotationDocument::undo() {
  if (!canUndo()) return;
  --done_;
  apply(history_[done_], false);
  changed();
}

void AnnotationDocument::redo() {
  if (!canRedo()) return;
  apply(history_[done_], true);
  ++done_;
  changed();
}

void AnnotationDocument::select(std::optional<AnnotationId> id) {
  if (id && !state_.find(*id)) id.reset();
  if (id == selected_) return;
  selected_ = id;
  changed();
}

void AnnotationDocument::push(Step step) {
  if (saved_ != kUnreachable && saved_ > done_) saved_ = kUnreachable;  // the saved state was in the redo branch
  history_.resize(done_);
  apply(step, true);
  step.text = capitalised(step.text);
  history_.push_back(std::move(step));
  ++done_;
  changed();
}

void AnnotationDocument::apply(const Step& step, bool forward) {
  if (step.isBookmark) {
    putBookmark(forward ? step.bookmarkBefore : step.bookmarkAfter,
                forward ? step.bookmarkAfter : step.bookmarkBefore, step.index);
  } else {
    putAnnotation(forward ? step.before : step.after, forward ? step.after : step.before, step.index);
  }
}

void AnnotationDocument::putAnnotation(const std::optional<Annotation>& from, const std::optional<Annotation>& to,
                                       std::size_t index) {
  auto& list = state_.annotations;
  if (from) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const auto& a) { return a.id == from->id; });
    if (it == list.end()) throw InternalError("annotation history out of step with the document");
    if (to) {
      *it = *to;
      return;
    }
    list.erase(it);
    if (selected_ == from->id) selected_.reset();
    return;
  }
  if (to) list.insert(list.begin() + static_cast<std::ptrdiff_t>(std::min(index, list.size())), *to);
}

void AnnotationDocument::putBookmark(const std::optional<Bookmark>& from, const std::optional<Bookmark>& to,
                                     std::size_t index) {
  auto& list = state_.bookmarks;
  if (from) {
    const auto it = std::find(list.begin(), list.end(), *from);
    if (it == list.end()) throw InternalError("bookmark history out of step with the document");
    if (to) {
      *it = *to;
    } else {
      list.erase(it);
    }
    return;
  }
  if (to) list.insert(list.begin() + static_cast<std::ptrdiff_t>(std::min(index, list.size())), *to);
}

void AnnotationDocument::changed() {
  if (onChanged_) onChanged_();
}

}  // namespace lunglens::core::annotation
