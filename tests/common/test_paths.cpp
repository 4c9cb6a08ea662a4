#include "tests/common/test_paths.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace fs = std::filesystem;

namespace lunglens::test {

fs::path sharedData() { return fs::path(LUNGLENS_SHARED_DATA_DIR); }
fs::path lungPetCtDx() { return sharedData() / "dicom" / "lung-pet-ct-dx"; }
fs::path pydicomTestFiles() { return sharedData() / "dicom" / "pydicom-testfiles"; }
fs::path binaryDir() { return fs::path(LUNGLENS_BINARY_DIR); }
fs::path sourceDir() { return fs::path(LUNGLENS_SOURCE_DIR); }

fs::path scratchDir(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string leaf = name;
  if (info) leaf += std::string("-") + info->test_suite_name() + "-" + info->name();
  const fs::path dir = binaryDir() / "test-scratch" / leaf;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

fs::path suiteScratchDir(const std::string& name) { return scratchDir(name + "-" + std::to_string(::getpid())); }

}  // namespace lunglens::test
