#pragma once
// The annotation tools as a plain presenter, testable without a display: turns mouse gestures on the slice view
// (view pixels, with the SlicePlacement the view draws with) into AnnotationDocument commands in voxel
// coordinates, and does the hit-testing that selection and handle dragging need. The widgets only forward events
// here and draw what visible() returns.
#include <QPointF>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/annotation/annotation_document.h"
#include "ui/paint/slice_placement.h"

namespace lunglens::ui::annotate {

enum class Tool { Select, Arrow, Text, Length, Ellipse, Freehand };

// The slice annotations are drawn on and added to.
struct SliceContext {
  std::string series_uid;
  int slice = -1;
  std::string sop_instance_uid;
};

class AnnotationPresenter {
 public:
  // Pixels: how near the mouse must come to a line or handle to pick it, and how far a drag must go to draw.
  static constexpr double kPickTolerance_px = 6.0;
  static constexpr double kMinShape_px = 3.0;
  static constexpr double kFreehandStep_px = 3.0;

  AnnotationPresenter() = default;

  // The document edited (not owned; null: no study open, every gesture is ignored).
  void setDocument(core::annotation::AnnotationDocument* document);
  core::annotation::AnnotationDocument* document() const { return doc_; }
  void setSlice(SliceContext slice);  // drops a gesture in progress
  const SliceContext& slice() const { return slice_; }
  void setTool(Tool tool);            // drops a gesture in progress
  Tool tool() const { return tool_; }
  // Asks the reader for a text (a label's text, a caption); nullopt = cancelled. The argument is the current text.
  void setTextPrompt(std::function<std::optional<std::string>(const std::string&)> prompt) {
    prompt_ = std::move(prompt);
  }
  // Called when what visible() returns changed without a document change (a shape being drawn).
  void setOnPreviewChanged(std::function<void()> callback) { onPreview_ = std::move(callback); }

  // Mouse gestures, left button, in view pixels. Each returns true when the presenter used the event; a press
  // that misses everything in Select mode is left to the view (it pans).
  bool press(QPointF p, const paint::SlicePlacement& place);
  bool move(QPointF p, const paint::SlicePlacement& place);
  bool release(QPointF p, const paint::SlicePlacement& place);
  void cancelGesture();
  bool gestureActive() const { return gesture_ != Gesture::None; }

  // Removes the selected annotation (an undo step); false when nothing is selected.
  bool deleteSelected();
  // Asks for a new text for the selected annotation (a label's text, another kind's caption).
  bool editSelectedText();

  // The annotation under `p` (the topmost, i.e. the last drawn), on the current slice.
  std::optional<core::annotation::AnnotationId> hitTest(QPointF p, const paint::SlicePlacement& place,
                                                       double tolerance_px = kPickTolerance_px) const;
  // The index of the selected annotation's point (handle) under `p`, if any.
  std::optional<std::size_t> handleAt(QPointF p, const paint::SlicePlacement& place,
                                      double tolerance_px = kPickTolerance_px) const;
  // What to draw on the current slice: the document's annotations there, then the shape being drawn.
  std::vector<core::annotation::Annotation> visible() const;

 private:
  enum class Gesture { None, Draw, PlaceText, Move, Handle };
  core::annotation::Annotation newShape(core::annotation::VoxelPoint at) const;
  const core::annotation::Annotation* selectedOnSlice() const;
  void previewChanged();

  core::annotation::AnnotationDocument* doc_ = nullptr;
  SliceContext slice_;
  Tool tool_ = Tool::Select;
  std::function<std::optional<std::string>(const std::string&)> prompt_;
  std::function<void()> onPreview_;

  Gesture gesture_ = Gesture::None;
  QPointF pressAt_, lastAt_;               // view pixels
  std::optional<core::annotation::Annotation> drawing_;  // the shape being drawn (not yet in the document)
  core::annotation::Annotation original_;    // the annotation as it was when a move or handle drag began
  std::size_t handle_ = 0;
  bool dragEdited_ = false;  // the drag in progress has its undo step on top of the history
};

// "Select", "Arrow", ... for menus and tests.
std::string toString(Tool tool);

}  // namespace lunglens::ui::annotate
