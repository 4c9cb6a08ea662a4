// The undoable command stack the viewer's annotation tools bind to.
#include <gtest/gtest.h>

#include "core/common/error.h"
#include "core/annotation/annotation_document.h"

using namespace lunglens::core::annotation;

namespace {
Annotation length(double x1) { return {0, AnnotationKind::Length, "1.2", 4, "", {{0, 0}, {x1, 0}}, ""}; }
}  // namespace

TEST(AnnotationDocument, AddEditDeleteUndoRedo) {
  AnnotationDocument doc;
  int notified = 0;
  doc.setOnChanged([&] { ++notified; });
  const AnnotationId a = doc.add(length(10));
  const AnnotationId b = doc.add({0, AnnotationKind::Arrow, "1.2", 4, "", {{1, 1}, {5, 5}}, ""});
  EXPECT_NE(a, b);
  EXPECT_EQ(doc.state().annotations.size(), 2u);
  EXPECT_EQ(doc.undoText(), "Add arrow");

  Annotation edited = *doc.state().find(a);
  edited.points[1].x = 20;
  doc.update(edited);
  EXPECT_EQ(doc.state().find(a)->points[1].x, 20);
  doc.remove(b);
  EXPECT_EQ(doc.state().find(b), nullptr);
  EXPECT_EQ(notified, 4);

  doc.undo();  // delete
  ASSERT_NE(doc.state().find(b), nullptr);
  EXPECT_EQ(doc.state().annotations[1].id, b) << "undoing a delete puts it back in its drawing order";
  doc.undo();  // edit
  EXPECT_EQ(doc.state().find(a)->points[1].x, 10);
  doc.undo();
  doc.undo();
  EXPECT_TRUE(doc.state().annotations.empty());
  EXPECT_FALSE(doc.canUndo());
  doc.redo();
  doc.redo();
  doc.redo();
  EXPECT_EQ(doc.state().find(a)->points[1].x, 20);
  EXPECT_TRUE(doc.canRedo());
  // A new edit drops the redo branch.
  doc.add(length(3));
  EXPECT_FALSE(doc.canRedo());
  EXPECT_EQ(doc.state().annotations.size(), 3u);
}

TEST(AnnotationDocument, DragUpdatesMergeIntoOneUndoStep) {
  AnnotationDocument doc;
  const AnnotationId a = doc.add(length(10));
  Annotation moving = *doc.state().find(a);
  for (int x = 11; x <= 30; ++x) {
    moving.points[1].x = x;
    doc.update(moving, true);
  }
  EXPECT_EQ(doc.state().find(a)->points[1].x, 30);
  doc.undo();
  EXPECT_EQ(doc.state().find(a)->points[1].x, 10) << "one undo takes the whole drag back";
  doc.undo();
  EXPECT_TRUE(doc.state().annotations.empty());
}

TEST(AnnotationDocument, SelectionFollowsDeletionAndUndo) {
  AnnotationDocument doc;
  const AnnotationId a = doc.add(length(10));
  doc.select(a);
  EXPECT_EQ(doc.selected(), a);
  doc.remove(a);
  EXPECT_FALSE(doc.selected().has_value());
  doc.select(a);  // no longer exists
  EXPECT_FALSE(doc.selected().has_value());
  doc.undo();
  doc.select(a);
  doc.undo();  // undo the add
  EXPECT_FALSE(doc.selected().has_value());
}

TEST(AnnotationDocument, BookmarksAreUndoableAndUniquePerSlice) {
  AnnotationDocument doc;
  doc.setBookmark({"1.2", 7, "", "first"});
  doc.setBookmark({"1.2", 7, "", "better note"});
  ASSERT_EQ(doc.state().bookmarks.size(), 1u);
  EXPECT_EQ(doc.state().bookmarks[0].note, "better note");
  doc.undo();
  EXPECT_EQ(doc.state().bookmarks[0].note, "first");
  doc.removeBookmark("1.2", 7);
  EXPECT_TRUE(doc.state().bookmarks.empty());
  doc.undo();
  EXPECT_EQ(doc.state().bookmarks.size(), 1u);
  EXPECT_THROW(doc.removeBookmark("1.2", 8), lunglens::core::InputError);
}

TEST(AnnotationDocument, ModifiedTracksTheSavedPoint) {
  StudyAnnotations start;
  start.study_uid = "1.2.3";
  start.annotations.push_back({7, AnnotationKind::Text, "1.2", 0, "", {{3, 3}}, "hi"});
  AnnotationDocument doc(start);
  EXPECT_FALSE(doc.modified());
  const AnnotationId id = doc.add(length(5));
  EXPECT_GT(id, 7u) << "fresh ids continue after the loaded ones";
  EXPECT_TRUE(doc.modified());
  doc.markSaved();
  EXPECT_FALSE(doc.modified());
  doc.undo();
  EXPECT_TRUE(doc.modified());
  doc.redo();
  EXPECT_FALSE(doc.modified());
}

TEST(AnnotationDocument, RejectsInvalidEdits) {
  AnnotationDocument doc;
  EXPECT_THROW(doc.add({0, AnnotationKind::Freehand, "1", 0, "", {{0, 0}, {1, 1}}, ""}), lunglens::core::InputError);
  EXPECT_THROW(doc.add({0, AnnotationKind::Text, "1", 0, "", {{0, 0}}, ""}), lunglens::core::InputError);
  EXPECT_THROW(doc.remove(42), lunglens::core::InputError);
  EXPECT_FALSE(doc.canUndo());
}
