#pragma once
// Where tests find data: the read-only shared data beside the repository, and scratch folders of their own.
#include <filesystem>

namespace lunglens::test {

std::filesystem::path sharedData();        // ../shared/data (skips the test if absent)
std::filesystem::path lungPetCtDx();       // sharedData()/dicom/lung-pet-ct-dx
std::filesystem::path pydicomTestFiles();  // sharedData()/dicom/pydicom-testfiles
std::filesystem::path binaryDir();         // the build folder (build/bin holds the executables)
std::filesystem::path sourceDir();         // the repository root
// A fresh empty folder for this test, removed at process exit is not promised: it lives under the build folder.
std::filesystem::path scratchDir(const std::string& name);
// A scratch folder for a whole test suite (made in SetUpTestSuite, where scratchDir has no test name to tell
// processes apart): named with the process id, so ctest -j running the suite's tests at once never share it.
std::filesystem::path suiteScratchDir(const std::string& name);

}  // namespace lunglens::test
