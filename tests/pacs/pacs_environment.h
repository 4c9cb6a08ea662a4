#pragma once
// One Orthanc per test binary, loaded once with the four shared Lung-PET-CT-Dx series (C-STORE), shared by every
// test in it (ctest runs the binary as one test, see CMakeLists.txt).
#include <filesystem>
#include <string>

#include "core/dicom/series.h"
#include "core/pacs/client.h"
#include "tests/pacs/orthanc_server.h"

namespace lunglens::test {

OrthancServer& orthanc();  // started and loaded by the environment; restarted if a test killed it
core::pacs::Connection dimseConnection();
core::pacs::Connection webConnection();
// The shared series of patient Lung_Dx-A0001 (64 slices, 2007-04-04) and Lung_Dx-A0002 (30, 2007-04-25).
const core::dicom::Catalog& sharedCatalog();
const core::dicom::SeriesInfo& sharedSeries(const std::string& patient_id, int series_number);
// A folder under the build tree for this test (fresh).
std::filesystem::path pacsScratch(const std::string& name);
// True if `parent` holds nothing named like a staging folder of `leaf` (".leaf.partial-*").
bool noStagingLeft(const std::filesystem::path& parent, const std::string& leaf);

}  // namespace lunglens::test
