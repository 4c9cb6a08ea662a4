#include <gtest/gtest.h>

#include "core/dicom/display_orientation.h"
#include "core/dicom/load.h"

using namespace lunglens::core::dicom;

TEST(RadiologicalFlip, StandardSupineAxialNeedsNone) {
  const DisplayFlip f = radiologicalFlip({1, 0, 0, 0, 1, 0});
  EXPECT_FALSE(f.horizontal);
  EXPECT_FALSE(f.vertical);
}

TEST(RadiologicalFlip, AxialWithRowsTowardTheRightIsMirrored) {
  // Rows run toward the patient's right (-X): the patient's left would land on the image's left.
  EXPECT_TRUE(radiologicalFlip({-1, 0, 0, 0, 1, 0}).horizontal);
  EXPECT_FALSE(radiologicalFlip({-1, 0, 0, 0, 1, 0}).vertical);
  // Prone-like: columns run anterior (-Y), so anterior would be at the bottom.
  EXPECT_TRUE(radiologicalFlip({1, 0, 0, 0, -1, 0}).vertical);
  // Slightly oblique still follows the dominant axis.
  EXPECT_FALSE(radiologicalFlip({0.99, 0.1, 0, -0.1, 0.99, 0}).horizontal);
}

TEST(RadiologicalFlip, CoronalAndSagittalPutTheHeadAtTheTop) {
  EXPECT_FALSE(radiologicalFlip({1, 0, 0, 0, 0, -1}).vertical);  // coronal, rows toward the feet
  EXPECT_TRUE(radiologicalFlip({1, 0, 0, 0, 0, 1}).vertical);
  EXPECT_FALSE(radiologicalFlip({0, 1, 0, 0, 0, -1}).horizontal);  // sagittal, anterior on the left
  EXPECT_TRUE(radiologicalFlip({0, -1, 0, 0, 0, -1}).horizontal);
}

TEST(RadiologicalFlip, ApplyFlipMirrorsRowsAndColumns) {
  std::vector<int> px{1, 2, 3, 4, 5, 6};  // 2 rows x 3 cols
  applyFlip(px, 2, 3, {true, false});
  EXPECT_EQ(px, (std::vector<int>{3, 2, 1, 6, 5, 4}));
  applyFlip(px, 2, 3, {false, true});
  EXPECT_EQ(px, (std::vector<int>{6, 5, 4, 3, 2, 1}));
}

TEST(FocusFirstOrder, StartsAtTheFocusAndAlternatesOutward) {
  EXPECT_EQ(focusFirstOrder(5, 1), (std::vector<int>{1, 2, 0, 3, 4}));
  EXPECT_EQ(focusFirstOrder(4, -1), (std::vector<int>{2, 3, 1, 0}));  // -1: the middle
  EXPECT_EQ(focusFirstOrder(1, 0), (std::vector<int>{0}));
}
