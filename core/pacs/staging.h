#pragma once
// Retrieved files land in a hidden folder beside their destination and are moved into place in one rename only
// once every file has arrived; a failure or cancel removes the hidden folder. So a destination folder either holds
// a complete series or does not exist: nothing half-imported.
#include <filesystem>

namespace lunglens::core::pacs {

class StagingFolder {
 public:
  // Throws InputError if `destination` exists already or its parent cannot be written.
  explicit StagingFolder(std::filesystem::path destination);
  ~StagingFolder();  // removes the staging folder unless committed
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;

  const std::filesystem::path& path() const { return staging_; }
  // A fresh file name in the staging folder ("000001.dcm", ...).
  std::filesystem::path nextFile();
  int files() const { return count_; }
  // Moves the staging folder to the destination. Throws InputError if that fails (the staging folder is removed).
  void commit();

 private:
  std::filesystem::path destination_, staging_;
  int count_ = 0;
  bool committed_ = false;
};

}  // namespace lunglens::core::pacs
