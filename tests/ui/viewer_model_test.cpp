// ViewerModel: slice clamping and scrolling, window/level drag and presets, zoom/pan, reset, HU under the cursor.
#include "ui/viewer/viewer_model.h"

#include <gtest/gtest.h>

#include "tests/ui/synthetic_volume.h"

using namespace lunglens;
using ui::viewer::ViewerModel;
using ui::viewer::ViewPoint;

namespace {

ui::viewer::StudyFacts facts() {
  ui::viewer::StudyFacts f;
  f.patient_name = "Doe^Jane";
  f.patient_id = "PID-123";
  f.series_description = "Chest 5mm";
  return f;
}

}  // namespace

TEST(ViewerModel, OpensOnTheMiddleSliceOrTheRequestedOneClamped) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(8, 6, 11), facts());
  EXPECT_EQ(m.slice(), 5);
  m.setVolume(test::makeSyntheticVolume(8, 6, 11), facts(), 3);
  EXPECT_EQ(m.slice(), 3);
  m.setVolume(test::makeSyntheticVolume(8, 6, 11), facts(), 99);
  EXPECT_EQ(m.slice(), 10);
}

TEST(ViewerModel, ScrollingStopsAtTheEndsAndAnnouncesEachChangeOnce) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(8, 6, 5), facts(), 2);
  int changes = 0, last = -1;
  QObject::connect(&m, &ViewerModel::sliceChanged, [&](int z) {
    ++changes;
    last = z;
  });
  m.scrollBy(1);
  EXPECT_EQ(m.slice(), 3);
  m.scrollBy(10);
  EXPECT_EQ(m.slice(), 4);
  m.scrollBy(1);  // already at the end: no change, no signal
  EXPECT_EQ(changes, 2);
  EXPECT_EQ(last, 4);
  m.scrollBy(-100);
  EXPECT_EQ(m.slice(), 0);
  m.setSlice(-3);
  EXPECT_EQ(m.slice(), 0);
  EXPECT_EQ(changes, 3);
}

TEST(ViewerModel, FeetwardIsLowerIndexWhenTheNormalPointsToTheHead) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(4, 4, 3), facts());  // row +X, col +Y: normal +Z (head)
  EXPECT_EQ(m.feetwardStep(), -1);
  m.setVolume(test::makeSyntheticVolume(4, 4, 3, 1, 1, true, {-1, 0, 0}, {0, 1, 0}), facts());  // normal -Z
  EXPECT_EQ(m.feetwardStep(), 1);
}

TEST(ViewerModel, PresetsOnKeysOneTwoThree) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(4, 4, 3), facts(), -1, core::volume::Window{400, 40, ""});
  m.applyPreset(1);
  EXPECT_EQ(m.window().width, 1500);
  EXPECT_EQ(m.window().level, -600);
  m.applyPreset(2);
  EXPECT_EQ(m.window().width, 350);
  EXPECT_EQ(m.window().level, 40);
  m.applyPreset(3);
  EXPECT_EQ(m.window().width, 2000);
  EXPECT_EQ(m.window().level, 500);
  m.applyPreset(4);  // not a preset: unchanged
  EXPECT_EQ(m.window().name, "bone");
}

TEST(ViewerModel, RightDragWidensToTheRightAndRaisesTheLevelDownwards) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(4, 4, 3), facts());  // lung window W1500 L-600
  m.beginWindowDrag();
  m.dragWindow(100, 0);
  EXPECT_DOUBLE_EQ(m.window().width, 1500 + 100 * ViewerModel::kWidthHuPerPixel);
  EXPECT_DOUBLE_EQ(m.window().level, -600);
  EXPECT_EQ(m.window().name, "");  // no longer the lung preset
  // Moves are relative to where the drag began, not cumulative.
  m.dragWindow(-50, 30);
  EXPECT_DOUBLE_EQ(m.window().width, 1500 - 50 * ViewerModel::kWidthHuPerPixel);
  EXPECT_DOUBLE_EQ(m.window().level, -600 + 30 * ViewerModel::kLevelHuPerPixel);
  // The width never drops below 1 HU.
  m.dragWindow(-10000, 0);
  EXPECT_DOUBLE_EQ(m.window().width, 1.0);
}

TEST(ViewerModel, ZoomKeepsThePointUnderTheMouseAndIsBounded) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(100, 80, 3, 0.7, 0.7), facts());
  m.setViewport(800, 600);
  const ViewPoint anchor{250.5, 180.5};
  m.setCursor(anchor);
  const auto before = m.cursorVoxel();
  ASSERT_TRUE(before);
  m.zoomAt(2.0, anchor);
  EXPECT_DOUBLE_EQ(m.camera().zoom, 2.0);
  const auto after = m.cursorVoxel();
  ASSERT_TRUE(after);
  EXPECT_EQ(after->x, before->x);
  EXPECT_EQ(after->y, before->y);
  m.zoomAt(1000.0, anchor);
  EXPECT_DOUBLE_EQ(m.camera().zoom, ViewerModel::kMaxZoom);
  m.zoomAt(1e-6, anchor);
  EXPECT_DOUBLE_EQ(m.camera().zoom, ViewerModel::kMinZoom);
}

TEST(ViewerModel, PanMovesTheImageWithTheMouseAndResetRestoresFitAndWindow) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(100, 100, 3), facts());
  m.setViewport(400, 400);  // 4 px per voxel at fit
  m.setCursor(ViewPoint{200.5, 200.5});
  const auto centre = *m.cursorVoxel();
  m.panBy(40, -20);  // the image moves right 10 voxels and up 5
  m.setCursor(ViewPoint{240.5, 180.5});
  EXPECT_EQ(m.cursorVoxel()->x, centre.x);
  EXPECT_EQ(m.cursorVoxel()->y, centre.y);
  m.applyPreset(3);
  m.resetView();
  EXPECT_DOUBLE_EQ(m.camera().zoom, 1.0);
  EXPECT_DOUBLE_EQ(m.camera().centre_x_mm, 50.0);
  EXPECT_DOUBLE_EQ(m.camera().centre_y_mm, 50.0);
  EXPECT_EQ(m.window().name, "lung");
}

TEST(ViewerModel, HuUnderTheCursorComesFromTheVoxelUnderIt) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(50, 40, 4, 1.0, 1.0), facts(), 2);
  m.setViewport(500, 400);  // 10 px per voxel, image fills the view exactly
  m.setCursor(ViewPoint{10 * 7 + 5, 10 * 3 + 5});
  ASSERT_TRUE(m.huUnderCursor());
  EXPECT_EQ(*m.huUnderCursor(), test::syntheticHu(7, 3, 2));
  m.scrollBy(1);
  EXPECT_EQ(*m.huUnderCursor(), test::syntheticHu(7, 3, 3));
  m.setCursor(std::nullopt);
  EXPECT_FALSE(m.huUnderCursor());
}

TEST(ViewerModel, HuUnderTheCursorFollowsRadiologicalFlips) {
  ViewerModel m;
  // Rows point to the patient's right: the screen's left column is the volume's last.
  m.setVolume(test::makeSyntheticVolume(50, 40, 1, 1.0, 1.0, true, {-1, 0, 0}, {0, 1, 0}), facts());
  m.setViewport(500, 400);
  m.setCursor(ViewPoint{5, 5});
  EXPECT_EQ(*m.huUnderCursor(), test::syntheticHu(49, 0, 0));
}

TEST(ViewerModel, SlicesStillLoadingShowNoHuAndAnnounceWhenTheyArrive) {
  auto volume = test::makeSyntheticVolume(20, 20, 3, 1.0, 1.0, /*ready=*/false);
  ViewerModel m;
  m.setVolume(volume, facts(), 1);
  m.setViewport(200, 200);
  m.setCursor(ViewPoint{55, 55});
  EXPECT_FALSE(m.currentSliceReady());
  EXPECT_FALSE(m.huUnderCursor());
  EXPECT_NE(m.overlay().bottom_left.find("Loading 0 / 3"), std::string::npos);
  int images = 0;
  QObject::connect(&m, &ViewerModel::imageChanged, [&]() { ++images; });
  volume->markSliceReady(0);
  m.onSliceReady(0);  // not the shown slice: no new pixels
  EXPECT_EQ(images, 0);
  volume->markSliceReady(1);
  m.onSliceReady(1);
  EXPECT_EQ(images, 1);
  EXPECT_EQ(*m.huUnderCursor(), test::syntheticHu(5, 5, 1));
}

TEST(ViewerModel, HidingPatientDataRemovesItFromTheOverlay) {
  ViewerModel m;
  m.setVolume(test::makeSyntheticVolume(4, 4, 3), facts());
  EXPECT_NE(m.overlay().top_left.find("Doe, Jane"), std::string::npos);
  m.togglePhiHidden();
  const auto text = m.overlay();
  for (const auto& corner : {text.top_left, text.top_right, text.bottom_left, text.bottom_right}) {
    EXPECT_EQ(corner.find("Doe"), std::string::npos);
    EXPECT_EQ(corner.find("PID-123"), std::string::npos);
  }
  EXPECT_NE(text.top_right.find("Chest 5mm"), std::string::npos);
}
