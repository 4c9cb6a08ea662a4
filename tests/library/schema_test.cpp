// The case library file: WAL mode and foreign keys on every connection, versioned migrations (a file made by the
// first schema version is brought up to date with its data intact), and clear errors for files it cannot use.
#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/library/case_library.h"
#include "core/library/schema.h"
#include "tests/common/test_paths.h"

namespace fs = std::filesystem;
using namespace lunglens::core::library;
using lunglens::core::InputError;

TEST(LibrarySchema, NewFileIsWalWithForeignKeysAtTheLatestVersion) {
  const fs::path file = lunglens::test::scratchDir("schema") / "library.sqlite";
  CaseLibrary library(file);
  Connection& c = library.connection();
  EXPECT_EQ(c.scalar("PRAGMA journal_mode").toString().toStdString(), "wal");
  EXPECT_EQ(c.scalar("PRAGMA foreign_keys").toInt(), 1);
  EXPECT_EQ(schemaVersion(c), kSchemaVersion);
  for (const char* table : {"studies", "series", "slices", "ai_results", "ai_scores", "gradcam_summaries",
                            "bookmarks", "teacher_labels", "teacher_manifestations", "tags", "slice_tags"})
    EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {table}).toInt(), 1)
        << table;
  // Foreign keys are enforced: a slice of a series that does not exist is refused.
  EXPECT_THROW(c.exec("INSERT INTO slices (series_id, slice_index, file) VALUES (42, 0, '/x.dcm')"), InputError);
  EXPECT_EQ(c.scalar("PRAGMA integrity_check").toString().toStdString(), "ok");
}

TEST(LibrarySchema, MigratesAFileOfTheFirstVersionKeepingItsData) {
  const fs::path file = lunglens::test::scratchDir("schema-v1") / "library.sqlite";
  {
    Connection c(file);
    migrate(c, 1);
    ASSERT_EQ(schemaVersion(c), 1);
    // A study as version 1 stored it (no Grad-CAM table, no missing flag yet).
    c.exec("INSERT INTO studies (id, study_uid, label, root, imported_at) VALUES (1, '1.2.3', 'Case 0001', '/old', "
           "'2026-01-01T00:00:00Z')");
    c.exec("INSERT INTO series (id, study_id, series_uid, folder, rows, cols, row_spacing_mm, col_spacing_mm, "
           "slice_count) VALUES (1, 1, '1.2.3.4', '/old/s', 64, 64, 0.7, 0.7, 1)");
    c.exec("INSERT INTO slices (id, series_id, slice_index, file) VALUES (1, 1, 0, '/old/s/0.dcm')");
    c.exec("INSERT INTO ai_results (slice_id, diagnosis_model, diagnosis_model_version, top_diagnosis, "
           "top_manifestation) VALUES (1, 'm', '1', 'covid', 'ggo')");
    c.exec("INSERT INTO ai_scores VALUES (1, 'diagnosis', 'covid', 0.7), (1, 'diagnosis', 'normal', 0.2), "
           "(1, 'diagnosis', 'other_pneumonia', 0.1), (1, 'manifestation', 'ggo', 0.6)");
    c.exec("INSERT INTO teacher_labels (slice_id, diagnosis, note, updated_at) VALUES (1, 'covid', 'classic', 'x')");
    c.exec("INSERT INTO teacher_manifestations VALUES (1, 'ggo')");
    EXPECT_EQ(c.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'gradcam_summaries'").toInt(), 0);
  }
  CaseLibrary library(file);
  EXPECT_EQ(schemaVersion(library.connection()), kSchemaVersion);
  EXPECT_EQ(library.connection().scalar("SELECT missing FROM series WHERE id = 1").toInt(), 0);
  QueryFilter ggo;
  ggo.manifestation = "ggo";
  const auto rows = library.query(ggo);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].study_label, "Case 0001");
  EXPECT_EQ(rows[0].series_uid, "1.2.3.4");
  ASSERT_TRUE(rows[0].score.has_value());
  EXPECT_DOUBLE_EQ(*rows[0].score, 0.6);
  ASSERT_TRUE(rows[0].teacher.has_value());
  EXPECT_EQ(rows[0].teacher->note, "classic");
  EXPECT_EQ(rows[0].teacher->manifestations, std::vector<std::string>{"ggo"});
  EXPECT_FALSE(rows[0].gradcam.has_value());
  // Version 2's table works on the migrated file; a row written as version 2 wrote it has no lung clip (drawn
  // with the body-air fallback), and a damaged clip is dropped, never trusted.
  library.connection().exec(
      "INSERT INTO gradcam_summaries (slice_id, class, peak_row, peak_col, peak_x_mm, peak_y_mm, peak_z_mm, "
      "threshold, area_over_threshold_mm2, grid_height, grid_width, grid) "
      "VALUES (1, 'covid', 3, 4, 0, 0, 0, 0.5, 12.5, 1, 1, X'0000803F')");
  const auto again = library.query(ggo);
  ASSERT_TRUE(again.at(0).gradcam.has_value());
  EXPECT_EQ(again[0].gradcam->grid, std::vector<float>{1.0f});
  EXPECT_DOUBLE_EQ(again[0].gradcam->area_over_threshold_mm2, 12.5);
  EXPECT_TRUE(again[0].gradcam->clip.empty());
  library.connection().exec("UPDATE gradcam_summaries SET clip_height = 2, clip_width = 2, clip = X'00000004DEADBEEF'");
  EXPECT_TRUE(library.query(ggo).at(0).gradcam->clip.empty());
  // Opening again migrates nothing more.
  CaseLibrary second(file);
  EXPECT_EQ(schemaVersion(second.connection()), kSchemaVersion);
  EXPECT_EQ(second.studies().size(), 1u);
}

TEST(LibrarySchema, RefusesAFileFromANewerVersion) {
  const fs::path file = lunglens::test::scratchDir("schema-newer") / "library.sqlite";
  {
    CaseLibrary library(file);
    library.connection().exec(QString("PRAGMA user_version=%1").arg(kSchemaVersion + 1));
  }
  try {
    CaseLibrary library(file);
    FAIL() << "opened a file of a newer schema";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(LibrarySchema, AFileThatIsNotADatabaseIsBadInput) {
  const fs::path file = lunglens::test::scratchDir("schema-garbage") / "library.sqlite";
  std::ofstream(file) << std::string(4096, 'x');
  EXPECT_THROW(CaseLibrary{file}, InputError);
}
