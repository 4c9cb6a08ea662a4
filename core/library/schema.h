#pragma once
// The case library's schema: numbered migrations, each run once in its own transaction and recorded in SQLite's
// user_version. A new version only ever appends a migration; an existing file is brought up to date on open.
//
//   1  studies, series, slices (file + frame, no pixels), ai_results (models, most probable classes), ai_scores
//      (one row per class probability), bookmarks, teacher_labels (+ teacher_manifestations), tags, slice_tags
//   2  gradcam_summaries (peak, area over threshold, the small map); series.missing (files gone, see availability.h)
#include "core/library/connection.h"

namespace lunglens::core::library {

inline constexpr int kSchemaVersion = 4;

int schemaVersion(Connection& connection);

// Throws InputError naming the file when it is an SQLite database of another program: tables but no schema
// version of ours, or a schema version without our tables. An empty database passes (it becomes a library).
void requireCaseLibrary(Connection& connection);

// Applies the migrations after the file's version, up to `target` (kSchemaVersion by default; tests stop earlier
// to build an old file). Throws InputError for a file written by a newer LungLens (version > kSchemaVersion).
void migrate(Connection& connection, int target = kSchemaVersion);

}  // namespace lunglens::core::library
