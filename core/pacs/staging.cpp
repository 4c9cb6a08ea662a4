#include "core/pacs/staging.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include "core/common/error.h"

namespace lunglens::core::pacs {

namespace fs = std::filesystem;

StagingFolder::StagingFolder(fs::path destination) : destination_(std::move(destination)) {
  if (destination_.filename().empty()) destination_ = destination_.parent_path();
  std::error_code ec;
  if (fs::exists(destination_, ec)) {
    throw InputError(destination_.string(), "exists already; retrieval writes a new folder and never merges");
  }
  const fs::path parent = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw InputError(parent.string(), "cannot create the folder: " + ec.message());
  static std::atomic<int> serial{0};
  const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
  staging_ = parent / ("." + destination_.filename().string() + ".partial-" + std::to_string(::getpid()) + "-" +
                       std::to_string(serial++) + "-" + std::to_string(stamp % 1000000));
  fs::create_directory(staging_, ec);
  if (ec) throw InputError(staging_.string(), "cannot create the staging folder: " + ec.message());
}

StagingFolder::~StagingFolder() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

fs::path StagingFolder::nextFile() {
  char name[32];
  std::snprintf(name, sizeof name, "%06d.dcm", ++count_);
  return staging_ / name;
}

void StagingFolder::commit() {
  std::error_code ec;
  fs::rename(staging_, destination_, ec);
  if (ec) throw InputError(destination_.string(), "cannot move the retrieved files into place: " + ec.message());
  committed_ = true;
}

}  // namespace lunglens::core::pacs
