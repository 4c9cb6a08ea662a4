// The annotation presenter without a display: mouse gestures in view pixels become annotations at the right voxel
// coordinates whatever the radiological flips, and selection, moving, handles, delete and undo behave.
#include "ui/annotate/annotation_presenter.h"

#include <gtest/gtest.h>

#include "core/annotation/measurements.h"
#include "tests/ui/synthetic_volume.h"
#include "ui/annotate/view_placement.h"
#include "ui/viewer/display_layout.h"

using namespace lunglens;
namespace ann = core::annotation;
using ui::annotate::AnnotationPresenter;
using ui::annotate::Tool;
using ui::viewer::DisplayLayout;

namespace {

constexpr double kViewW = 400, kViewH = 300;

// A 64 x 48 slice, 0.7 x 0.9 mm voxels, rows along `row_dir`, columns along `col_dir`.
DisplayLayout layoutFor(core::volume::Vec3 row_dir, core::volume::Vec3 col_dir) {
  return DisplayLayout(test::makeSyntheticVolume(64, 48, 2, 0.7, 0.9, true, row_dir, col_dir)->geometry());
}

// Where the centre of voxel (x, y) is on screen, computed from DisplayLayout alone (not from SlicePlacement): the
// displayed column of voxel x is x, or cols-1-x when flipped, and displayed pixel (c, r) covers
// [c, c+1) x [r, r+1) spacings of the displayed image.
QPointF screenOf(const DisplayLayout& layout, const ui::viewer::Camera& cam, double x, double y) {
  const double dc = layout.flipX() ? layout.cols() - 1 - x : x;
  const double dr = layout.flipY() ? layout.rows() - 1 - y : y;
  const auto v = layout.imageMmToView(cam, kViewW, kViewH, (dc + 0.5) * layout.columnSpacing_mm(),
                                      (dr + 0.5) * layout.rowSpacing_mm());
  return {v.x, v.y};
}

struct Fixture {
  explicit Fixture(DisplayLayout l, ui::viewer::Camera c = {}) : layout(std::move(l)), cam(c) {
    if (cam.zoom == 1.0 && cam.centre_x_mm == 0.0) cam = layout.fitCamera();
    place = ui::annotate::viewPlacement(layout, cam, kViewW, kViewH);
    presenter.setDocument(&doc);
    presenter.setSlice({"1.2.3", 1, "1.2.3.1"});
  }
  QPointF at(double x, double y) const { return screenOf(layout, cam, x, y); }
  void drag(QPointF a, QPointF b, int steps = 4) {
    presenter.press(a, place);
    for (int i = 1; i <= steps; ++i) presenter.move(a + (b - a) * (double(i) / steps), place);
    presenter.release(b, place);
  }
  DisplayLayout layout;
  ui::viewer::Camera cam;
  ui::paint::SlicePlacement place;
  ann::AnnotationDocument doc;
  AnnotationPresenter presenter;
};

void expectPoint(const ann::VoxelPoint& p, double x, double y) {
  EXPECT_NEAR(p.x, x, 1e-9);
  EXPECT_NEAR(p.y, y, 1e-9);
}

}  // namespace

// Every flip combination: the same voxels under the mouse give the same annotation.
TEST(AnnotationPresenter, LengthGestureGivesVoxelCoordinatesUnderEveryFlip) {
  const std::pair<core::volume::Vec3, core::volume::Vec3> orientations[] = {
      {{1, 0, 0}, {0, 1, 0}}, {{-1, 0, 0}, {0, 1, 0}}, {{1, 0, 0}, {0, -1, 0}}, {{-1, 0, 0}, {0, -1, 0}}};
  int flipped = 0;
  for (const auto& [row, col] : orientations) {
    Fixture f(layoutFor(row, col), {2.0, 20.0, 18.0});  // zoomed and panned too
    flipped += f.layout.flipX() + f.layout.flipY();
    f.presenter.setTool(Tool::Length);
    f.drag(f.at(10, 20), f.at(30, 35));
    ASSERT_EQ(f.doc.state().annotations.size(), 1u);
    const ann::Annotation& a = f.doc.state().annotations[0];
    EXPECT_EQ(a.kind, ann::AnnotationKind::Length);
    EXPECT_EQ(a.series_uid, "1.2.3");
    EXPECT_EQ(a.slice, 1);
    EXPECT_EQ(a.sop_instance_uid, "1.2.3.1");
    expectPoint(a.points[0], 10, 20);
    expectPoint(a.points[1], 30, 35);
    EXPECT_NEAR(ann::lengthMm(a.points[0], a.points[1], 0.7, 0.9), std::hypot(20 * 0.7, 15 * 0.9), 1e-9);
    EXPECT_EQ(f.doc.selected(), a.id);  // a new shape is selected, ready to adjust
  }
  EXPECT_EQ(flipped, 4);  // the orientations did exercise both flips
}

TEST(AnnotationPresenter, EachToolMakesItsShape) {
  Fixture f(layoutFor({-1, 0, 0}, {0, 1, 0}));
  f.presenter.setTool(Tool::Arrow);
  f.drag(f.at(5, 5), f.at(15, 10));
  f.presenter.setTool(Tool::Ellipse);
  f.drag(f.at(20, 10), f.at(30, 24));
  f.presenter.setTool(Tool::Freehand);
  const QPointF a = f.at(40, 10), b = f.at(55, 10), c = f.at(55, 30);
  f.presenter.press(a, f.place);
  for (int i = 1; i <= 10; ++i) f.presenter.move(a + (b - a) * (i / 10.0), f.place);
  for (int i = 1; i <= 10; ++i) f.presenter.move(b + (c - b) * (i / 10.0), f.place);
  f.presenter.release(c, f.place);
  f.presenter.setTool(Tool::Text);
  std::string asked = "unset";
  f.presenter.setTextPrompt([&](const std::string& current) {
    asked = current;
    return std::optional<std::string>("nodule");
  });
  f.drag(f.at(8, 40), f.at(8, 40), 1);

  const auto& list = f.doc.state().annotations;
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].kind, ann::AnnotationKind::Arrow);
  expectPoint(list[0].points[0], 5, 5);  // tail where the drag began
  expectPoint(list[0].points[1], 15, 10);
  EXPECT_EQ(list[1].kind, ann::AnnotationKind::Ellipse);
  expectPoint(list[1].points[0], 20, 10);
  expectPoint(list[1].points[1], 30, 24);
  EXPECT_EQ(list[2].kind, ann::AnnotationKind::Freehand);
  EXPECT_GE(list[2].points.size(), 8u);  // one vertex per few pixels of travel
  expectPoint(list[2].points.front(), 40, 10);
  expectPoint(list[2].points.back(), 55, 30);
  EXPECT_EQ(list[3].kind, ann::AnnotationKind::Text);
  EXPECT_EQ(list[3].text, "nodule");
  EXPECT_EQ(asked, "");
  expectPoint(list[3].points[0], 8, 40);
}

TEST(AnnotationPresenter, ClicksWithoutADragAndCancelledTextAddNothing) {
  Fixture f(layoutFor({1, 0, 0}, {0, 1, 0}));
  for (Tool t : {Tool::Arrow, Tool::Length, Tool::Ellipse, Tool::Freehand}) {
    f.presenter.setTool(t);
    f.drag(f.at(10, 10), f.at(10, 10), 1);
  }
  f.presenter.setTool(Tool::Text);
  f.presenter.setTextPrompt([](const std::string&) { return std::nullopt; });
  f.drag(f.at(10, 10), f.at(10, 10), 1);
  EXPECT_TRUE(f.doc.state().annotations.empty());
  EXPECT_FALSE(f.doc.canUndo());
}

TEST(AnnotationPresenter, ShapeBeingDrawnIsShownButNotInTheDocumentUntilRelease) {
  Fixture f(layoutFor({1, 0, 0}, {0, 1, 0}));
  int previews = 0;
  f.presenter.setOnPreviewChanged([&]() { ++previews; });
  f.presenter.setTool(Tool::Ellipse);
  f.presenter.press(f.at(10, 10), f.place);
  f.presenter.move(f.at(20, 20), f.place);
  EXPECT_TRUE(f.doc.state().annotations.empty());
  ASSERT_EQ(f.presenter.visible().size(), 1u);
  expectPoint(f.presenter.visible()[0].points[1], 20, 20);
  EXPECT_GE(previews, 2);
  f.presenter.setTool(Tool::Select);  // switching tools drops the unfinished shape
  EXPECT_TRUE(f.presenter.visible().empty());
  EXPECT_TRUE(f.doc.state().annotations.empty());
}

TEST(AnnotationPresenter, SelectMoveHandleDeleteAndUndo) {
  Fixture f(layoutFor({-1, 0, 0}, {0, -1, 0}));
  f.presenter.setTool(Tool::Length);
  f.drag(f.at(10, 20), f.at(30, 20));
  const ann::AnnotationId id = f.doc.state().annotations.at(0).id;
  f.presenter.setTool(Tool::Select);

  // A click on empty slice deselects and is left to the view (it pans).
  EXPECT_FALSE(f.presenter.press(f.at(50, 40), f.place));
  f.presenter.release(f.at(50, 40), f.place);
  EXPECT_FALSE(f.doc.selected());
  // A click on the line (between voxels, off by a pixel) selects it.
  EXPECT_EQ(f.presenter.hitTest(f.at(20, 20) + QPointF(0, 2), f.place), id);
  EXPECT_FALSE(f.presenter.hitTest(f.at(20, 30), f.place));

  // Dragging the body moves both ends by the same voxels: one undo step for the whole drag.
  f.drag(f.at(20, 20), f.at(25, 27), 6);
  EXPECT_EQ(f.doc.selected(), id);
  {
    const auto& a = f.doc.state().annotations.at(0);
    expectPoint(a.points[0], 15, 27);
    expectPoint(a.points[1], 35, 27);
  }
  EXPECT_EQ(f.doc.undoText(), "Edit length");
  // Dragging a handle moves only that end.
  ASSERT_TRUE(f.presenter.handleAt(f.at(35, 27), f.place));
  f.drag(f.at(35, 27), f.at(40, 30), 3);
  {
    const auto& a = f.doc.state().annotations.at(0);
    expectPoint(a.points[0], 15, 27);
    expectPoint(a.points[1], 40, 30);
  }
  f.doc.undo();
  expectPoint(f.doc.state().annotations.at(0).points[1], 35, 27);
  f.doc.undo();
  expectPoint(f.doc.state().annotations.at(0).points[0], 10, 20);

  EXPECT_TRUE(f.presenter.deleteSelected());
  EXPECT_TRUE(f.doc.state().annotations.empty());
  EXPECT_FALSE(f.presenter.deleteSelected());  // nothing selected any more
  f.doc.undo();
  ASSERT_EQ(f.doc.state().annotations.size(), 1u);
  EXPECT_EQ(f.doc.state().annotations[0].id, id);
  f.doc.redo();
  EXPECT_TRUE(f.doc.state().annotations.empty());
}

TEST(AnnotationPresenter, OnlyTheCurrentSlicesAnnotationsAreShownAndPicked) {
  Fixture f(layoutFor({1, 0, 0}, {0, 1, 0}));
  f.presenter.setTool(Tool::Arrow);
  f.drag(f.at(10, 10), f.at(20, 20));
  f.presenter.setSlice({"1.2.3", 0, "1.2.3.0"});
  EXPECT_TRUE(f.presenter.visible().empty());
  f.presenter.setTool(Tool::Select);
  EXPECT_FALSE(f.presenter.hitTest(f.at(15, 15), f.place));
  f.presenter.setSlice({"1.2.3", 1, "1.2.3.1"});
  EXPECT_EQ(f.presenter.visible().size(), 1u);
  EXPECT_TRUE(f.presenter.hitTest(f.at(15, 15), f.place));
  // Another series with the same slice number shows nothing.
  f.presenter.setSlice({"9.9", 1, ""});
  EXPECT_TRUE(f.presenter.visible().empty());
}

TEST(AnnotationPresenter, RegionsArePickedInsideAndEditedTextIsOneUndoStep) {
  Fixture f(layoutFor({1, 0, 0}, {0, 1, 0}));
  f.presenter.setTool(Tool::Ellipse);
  f.drag(f.at(10, 10), f.at(30, 30));
  f.presenter.setTool(Tool::Select);
  EXPECT_TRUE(f.presenter.hitTest(f.at(20, 20), f.place));   // inside
  EXPECT_FALSE(f.presenter.hitTest(f.at(11, 11), f.place));  // inside the box, outside the ellipse
  f.presenter.press(f.at(20, 20), f.place);
  f.presenter.release(f.at(20, 20), f.place);
  f.presenter.setTextPrompt([](const std::string&) { return std::optional<std::string>("cyst?"); });
  ASSERT_TRUE(f.presenter.editSelectedText());
  EXPECT_EQ(f.doc.state().annotations[0].text, "cyst?");
  f.doc.undo();
  EXPECT_EQ(f.doc.state().annotations[0].text, "");
}
