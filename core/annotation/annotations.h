#pragma once
// Annotations and key-image bookmarks of one study, as plain values: the viewer draws and edits them, the exporter
// burns them into images, the store keeps them per study. Positions are continuous voxel coordinates of a slice
// (x = column, y = row, both in the volume's own order, before any display flip): the centre of voxel (c, r) is
// (c, r), so a shape follows its voxels whatever the zoom, pan or radiological flip of the view.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lunglens::core::annotation {

struct VoxelPoint {
  double x = 0.0;  // column
  double y = 0.0;  // row
  bool operator==(const VoxelPoint& o) const { return x == o.x && y == o.y; }
};

enum class AnnotationKind {
  Arrow,     // points: {tail, head}
  Text,      // points: {anchor}; text: the label
  Length,    // points: {a, b}; measured in mm from the pixel spacing
  Ellipse,   // points: two opposite corners of its axis-aligned bounding box; ROI statistics
  Freehand,  // points: a closed polygon (at least 3 vertices); ROI statistics
};

// "arrow", "text", "length", "ellipse", "freehand"; parseAnnotationKind throws InputError for anything else.
std::string toString(AnnotationKind kind);
AnnotationKind parseAnnotationKind(const std::string& name);

using AnnotationId = std::uint64_t;

struct Annotation {
  AnnotationId id = 0;         // unique within the study; assigned by AnnotationDocument when 0
  AnnotationKind kind = AnnotationKind::Arrow;
  std::string series_uid;      // the series whose slice carries it
  int slice = 0;               // slice index in that series (0 = lowest along the normal, as core::dicom sorts)
  std::string sop_instance_uid;  // the slice's SOP instance, so the slice can be found again if indexing changes
  std::vector<VoxelPoint> points;
  std::string text;            // label of a Text annotation, optional caption of the others

  bool operator==(const Annotation& o) const {
    return id == o.id && kind == o.kind && series_uid == o.series_uid && slice == o.slice &&
           sop_instance_uid == o.sop_instance_uid && points == o.points && text == o.text;
  }
};

// Throws InputError when the shape cannot be drawn or measured (wrong number of points, non-finite values).
void validate(const Annotation& annotation);

// A key image: a slice worth coming back to, with the reader's note.
struct Bookmark {
  std::string series_uid;
  int slice = 0;
  std::string sop_instance_uid;
  std::string note;
  bool operator==(const Bookmark& o) const {
    return series_uid == o.series_uid && slice == o.slice && sop_instance_uid == o.sop_instance_uid && note == o.note;
  }
};

struct StudyAnnotations {
  std::string study_uid;
  std::vector<Annotation> annotations;
  std::vector<Bookmark> bookmarks;  // at most one per (series, slice)

  const Annotation* find(AnnotationId id) const;
  // The annotations on one slice, in drawing order.
  std::vector<Annotation> onSlice(const std::string& series_uid, int slice) const;
  std::optional<Bookmark> bookmarkAt(const std::string& series_uid, int slice) const;
  AnnotationId maxId() const;
};

}  // namespace lunglens::core::annotation
