#pragma once
// The case library: one SQLite file (default userDataDir()/library.sqlite) of imported studies, their per-slice AI
// results and Grad-CAM summaries, the teacher's labels, bookmarks and tags. Never a copy of pixel data: slices are
// file paths, and a study whose files moved shows as missing until relinked.
//
// One CaseLibrary = one connection = one thread (Qt SQL connections are per thread). Open one per thread on the
// same file: WAL lets readers go on while the importer's writer commits.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/library/connection.h"
#include "core/library/records.h"

namespace lunglens::core::library {

class CaseLibrary {
 public:
  static std::filesystem::path defaultFile();  // core::userDataDir() / "library.sqlite"

  // Opens (creating if needed) and migrates to kSchemaVersion. Throws InputError naming the file.
  explicit CaseLibrary(const std::filesystem::path& file = defaultFile());
  ~CaseLibrary();
  CaseLibrary(const CaseLibrary&) = delete;
  CaseLibrary& operator=(const CaseLibrary&) = delete;

  Connection& connection() { return *connection_; }
  const std::filesystem::path& file() const { return connection_->file(); }

  // Writes a whole study in ONE transaction: it is either all there or not at all. Re-importing a study or series
  // (same UIDs) updates it in place: slice rows keep their ids, so teacher's labels, bookmarks and tags survive;
  // AI results are replaced. A new study gets the next de-identified label ("Case 0007"), kept for good.
  StudySummary writeStudy(const StudyRecord& study);

  std::vector<StudySummary> studies();
  // By study UID or label; nullopt when unknown.
  std::optional<StudySummary> study(const std::string& uid_or_label);
  // Removes the study and everything attached to it (not its files). False when unknown.
  bool removeStudy(const std::string& uid_or_label);

  // Matching slices, highest score first (see QueryFilter and QueryRow).
  std::vector<QueryRow> query(const QueryFilter& filter);

  // The slices of `row`'s series from row.slice - radius to row.slice + radius (those that exist), in slice order:
  // a quiz item's short stack. Each is `row` with its own slice index, file, frame and position and no AI details.
  std::vector<QueryRow> sliceStack(const QueryRow& row, int radius);

  // Teacher's labels, tags and bookmarks of a slice (series UID + slice index). Unknown slices: InputError.
  void setTeacherLabel(const std::string& series_uid, int slice, const TeacherLabel& label);
  void clearTeacherLabel(const std::string& series_uid, int slice);
  std::optional<TeacherLabel> teacherLabel(const std::string& series_uid, int slice);
  void addTag(const std::string& series_uid, int slice, const std::string& tag);
  void removeTag(const std::string& series_uid, int slice, const std::string& tag);
  std::vector<std::string> tags(const std::string& series_uid, int slice);
  std::vector<std::string> allTags();
  void setBookmark(const Bookmark& bookmark);
  void removeBookmark(const std::string& series_uid, int slice);
  std::vector<Bookmark> bookmarks(const std::string& study_uid_or_label);

  // Looks at the disk: a series is missing when any of its slice files is gone. Updates the flags and returns how
  // many series are missing now.
  int checkAvailability();
  // Points a study's series at a new folder: scans `new_root`, matches series by UID and slices by SOP instance
  // UID (else index), and updates the paths. Returns how many series were relinked; InputError when the study is
  // unknown or none of its series is found there.
  int relink(const std::string& study_uid_or_label, const std::filesystem::path& new_root);

  // The row id of a slice; InputError when the library has no such slice.
  std::int64_t sliceId(const std::string& series_uid, int slice);

 private:
  std::unique_ptr<Connection> connection_;
};

}  // namespace lunglens::core::library
