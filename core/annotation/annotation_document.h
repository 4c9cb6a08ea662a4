#pragma once
// The editable annotations of an open study: every change goes through here as a command that can be undone and
// redone. Plain C++ so the viewer's tools bind to it directly (call add/update/remove from mouse handlers, redraw in
// the change callback) and the same logic is tested without a display. Selection lives here too, outside the undo
// history, because deleting or undoing must keep it valid. Not thread-safe: the UI thread owns it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/annotation/annotations.h"

namespace lunglens::core::annotation {

class AnnotationDocument {
 public:
  explicit AnnotationDocument(StudyAnnotations initial = {});

  const StudyAnnotations& state() const { return state_; }

  // Adds an annotation (validated; an id of 0 gets a fresh one) and returns its id.
  AnnotationId add(Annotation annotation);
  // Replaces an annotation's content (the id stays). With `merge`, a run of updates to the same annotation (a handle
  // dragged through many mouse moves) becomes one undo step. Throws InputError for an unknown id.
  void update(const Annotation& annotation, bool merge = false);
  void remove(AnnotationId id);
  // Sets the note of the slice's bookmark, adding the bookmark if absent.
  void setBookmark(const Bookmark& bookmark);
  void removeBookmark(const std::string& series_uid, int slice);

  bool canUndo() const { return done_ > 0; }
  bool canRedo() const { return done_ < history_.size(); }
  // What undo/redo would do ("Add length", "Move ellipse", ...), for menu text; empty when nothing.
  std::string undoText() const;
  std::string redoText() const;
  void undo();
  void redo();

  // Selection: one annotation or none; cleared when its annotation disappears.
  std::optional<AnnotationId> selected() const { return selected_; }
  void select(std::optional<AnnotationId> id);

  // True once anything changed since construction or markSaved(); undoing back to the saved point makes it false.
  bool modified() const { return done_ != saved_; }
  void markSaved() { saved_ = done_; }

  // Called after every change (edit, undo, redo, selection).
  void setOnChanged(std::function<void()> callback) { onChanged_ = std::move(callback); }

 private:
  // One step of history: the annotation (or bookmark) list before and after, for the item concerned only.
  struct Step {
    std::string text;
    std::optional<Annotation> before, after;  // both: update; only after: add; only before: remove
    std::optional<Bookmark> bookmarkBefore, bookmarkAfter;
    bool isBookmark = false;
    bool mergeable = false;
    std::size_t index = 0;  // position in the list, so undoing a removal puts the item back where it was drawn
  };
  void push(Step step);
  void apply(const Step& step, bool forward);
  void putAnnotation(const std::optional<Annotation>& from, const std::optional<Annotation>& to, std::size_t index);
  void putBookmark(const std::optional<Bookmark>& from, const std::optional<Bookmark>& to, std::size_t index);
  void changed();

  StudyAnnotations state_;
  std::vector<Step> history_;
  std::size_t done_ = 0;   // steps applied; history_[done_..] can be redone
  std::size_t saved_ = 0;  // done_ at the last save; npos when the saved state is no longer reachable
  AnnotationId nextId_ = 1;
  std::optional<AnnotationId> selected_;
  std::function<void()> onChanged_;
};

}  // namespace lunglens::core::annotation
