#pragma once
// Reading a DICOMDIR: the files it lists, resolved against the folder it sits in.
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::core::dicom {

struct DicomdirListing {
  std::vector<std::filesystem::path> files;    // referenced files that exist
  std::vector<std::filesystem::path> missing;  // referenced but not on disk
};

// Throws InputError if `dicomdir` cannot be read as a DICOMDIR.
DicomdirListing readDicomdir(const std::filesystem::path& dicomdir);

}  // namespace lunglens::core::dicom
