#pragma once
// Annotations as JSON, and their per-study home: core::userDataDir()/annotations/<StudyInstanceUID>.json (or
// uid-<sha256 of the key>.json for a key that is not a plain DICOM UID), written atomically so a crash mid-save never
// loses the previous version.
//
// Format (version 1):
//   {"format": "lunglens-annotations", "version": 1, "study_uid": "...",
//    "annotations": [{"id": 1, "kind": "length", "series_uid": "...", "slice": 12, "sop_instance_uid": "...",
//                     "points": [[x, y], ...], "text": ""}, ...],
//    "bookmarks": [{"series_uid": "...", "slice": 12, "sop_instance_uid": "...", "note": "..."}, ...]}
// Points are continuous voxel coordinates (column, row) of the slice, see annotations.h.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/dicom/series.h"
#include "core/annotation/annotations.h"

namespace lunglens::core::annotation {

nlohmann::json toJson(const StudyAnnotations& study);
// Throws InputError naming the field for malformed input; every annotation is validated.
StudyAnnotations studyAnnotationsFromJson(const nlohmann::json& json, const std::string& context);

// Reads a file written by saveAnnotationsFile (or by hand, same format).
StudyAnnotations loadAnnotationsFile(const std::filesystem::path& file);
void saveAnnotationsFile(const StudyAnnotations& study, const std::filesystem::path& file, bool overwrite);

// After loading, ties a study's annotations and bookmarks to a freshly scanned series: an item of this series whose
// SOP instance UID names another slice index (the series was re-sorted, or slices were added) moves to that index;
// an item without a SOP instance UID gets the one of its slice. Items of other series are left alone. Returns how
// many items moved.
int relinkToSeries(StudyAnnotations& study, const dicom::SeriesInfo& series);

// The key a series' annotations are kept under (StudyAnnotations::study_uid): its Study Instance UID, or for a
// series without one "series:<SeriesInstanceUID>", so every series that has either UID can be annotated.
std::string annotationKey(const dicom::SeriesInfo& series);

class AnnotationStore {
 public:
  // Default root: core::userDataDir() / "annotations".
  AnnotationStore();
  explicit AnnotationStore(std::filesystem::path root);

  // The file of a study (an annotationKey). A plain DICOM UID (digits and dots, at most 64) names its file; any other
  // key (UUID-derived or vendor UIDs that break the rules, "series:..." keys) is hashed, so every key has a home
  // inside the store and none can name a path outside it. Throws InputError only for an empty key.
  std::filesystem::path fileFor(const std::string& study_uid) const;
  // The study's saved annotations, or an empty set (with study_uid filled in) when none were saved.
  StudyAnnotations load(const std::string& study_uid) const;
  // Replaces the study's file atomically; an empty set removes the file.
  void save(const StudyAnnotations& study) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

}  // namespace lunglens::core::annotation
