#pragma once
// What the case library holds, as plain values: a study with its series and per-slice AI results (written in one
// transaction by the importer), and the rows a query returns. No pixel data: a slice is a file path + frame.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/inference/ood_guard.h"

namespace lunglens::core::library {

// Grad-CAM of one slice, summarised: where it peaks and how much of the slice it covers. The small feature-grid map
// itself is kept too (a few dozen floats, not pixels of the study) so the gallery can draw it.
struct GradcamSummary {
  std::string class_name;          // the class explained
  int peak_row = 0, peak_col = 0;  // slice pixel of the maximum (native grid)
  double peak_x_mm = 0, peak_y_mm = 0, peak_z_mm = 0;  // that pixel's centre in patient LPS
  double threshold = 0.5;          // of the normalised map
  double area_over_threshold_mm2 = 0;
  int grid_height = 0, grid_width = 0;
  std::vector<float> grid;         // grid_height * grid_width, row-major, in [0, 1]
  // Where the map may be drawn, kept from the import (core/export/heatmap_clip.h: the slice's lung mask grown by
  // 5 mm): clip_height x clip_width cells over the whole slice, row-major, 1 = may draw. Empty: the import found
  // no lungs (or the record predates lung masks), so the map is drawn off the air outside the body only.
  int clip_height = 0, clip_width = 0;
  std::vector<std::uint8_t> clip;
};

struct SliceRecord {
  int index = 0;                 // slice index in the series (core::dicom order)
  std::string sop_instance_uid;
  std::string file;              // the DICOM file holding it (absolute)
  int frame = 0;
  double position_mm = 0;        // along the slice normal
  std::map<std::string, double> diagnosis;      // class -> probability; empty when not scored
  std::map<std::string, double> manifestation;  // class -> probability; empty when not computed
  std::optional<GradcamSummary> gradcam;
};

struct ModelStamp {
  std::string name, version;
  bool synthetic = true;  // trained on synthetic phantoms
};

struct SeriesRecord {
  std::string series_uid, modality, description;
  std::string folder;  // the folder holding the series' files (absolute)
  int rows = 0, cols = 0;
  double pixel_spacing_mm[2] = {1, 1};
  std::vector<SliceRecord> slices;  // in index order
  ModelStamp diagnosis_model, manifestation_model;  // empty names: not scored
  std::string verdict;  // the study verdict rule's class for this series; empty when not scored
  inference::OodSummary ood;  // the diagnosis model's OOD guard over the series' scored slices
};

struct StudyRecord {
  std::string study_uid;
  std::string study_date;  // YYYYMMDD as in DICOM (identifying: never shown in presentation mode)
  std::string root;        // the folder the study was imported from
  std::vector<SeriesRecord> series;
};

// A study as listed by the library.
struct StudySummary {
  std::int64_t id = 0;
  std::string study_uid, label, study_date, root, imported_at;
  int series_count = 0, slice_count = 0;
  bool missing = false;  // some series' files are gone (see availability.h)
};

struct TeacherLabel {
  std::string diagnosis;                   // "covid", "other_pneumonia", "normal" or empty
  std::vector<std::string> manifestations; // "ggo", "consolidation", "fibrotic_streaks", ...
  std::string note;
};

struct Bookmark {
  std::string series_uid;
  int slice = 0;
  std::string note;
  bool key_image = false;
};

// Which slices a query returns. Empty fields do not filter.
struct QueryFilter {
  enum class Source { Ai, Teacher, Either };
  Source source = Source::Either;  // whose diagnosis / manifestation to match; alone, whose labels to have
  std::string diagnosis;           // AI: the most probable diagnosis class; teacher: their diagnosis
  std::string manifestation;       // AI: the most probable manifestation class; teacher: one of theirs
  std::optional<double> min_score, max_score;  // on QueryRow::score
  std::string tag;
  bool include_missing = true;     // rows of series whose files are gone
  bool include_out_of_distribution = true;  // rows of series unlike the scoring model's training data
  int limit = 0;                   // 0 = all
};

// One matching slice. Rows come sorted by score, highest first.
struct QueryRow {
  std::int64_t study_id = 0;
  std::string study_label, study_uid, series_uid;
  int slice = 0;
  std::string file;
  int frame = 0, rows = 0, cols = 0;
  int slice_count = 0;
  double position_mm = 0;
  // The AI probability the filter is about: P(manifestation) if the filter names one, else P(diagnosis) if it
  // names one, else 1 - P(normal) (how abnormal the slice looks). Absent when the slice has no AI result.
  std::optional<double> score;
  std::map<std::string, double> diagnosis, manifestation;
  std::string ai_diagnosis, ai_manifestation;  // most probable classes ("" when not scored)
  ModelStamp model;  // the diagnosis model that scored the slice (empty name when not scored)
  std::optional<TeacherLabel> teacher;
  std::vector<std::string> tags;
  std::optional<GradcamSummary> gradcam;
  bool missing = false;
  // The slice's series does not resemble the scoring model's training data (its OOD guard): its AI classes and
  // scores are not to be relied on, and the gallery says so on the tile.
  bool out_of_distribution = false;
};

}  // namespace lunglens::core::library
