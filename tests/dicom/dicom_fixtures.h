#pragma once
// Test helpers that build scratch DICOM folders from the real data, editing files with GDCM.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gdcm {
class DataSet;
class TransferSyntax;
}  // namespace gdcm

namespace lunglens::test {

// The four Lung-PET-CT-Dx series folders (64, 64, 30, 30 slices).
std::vector<std::filesystem::path> lungSeriesFolders();
// The 30-slice B40f series (8 mm apart), the smallest real series.
std::filesystem::path lungB40fFolder();

// The .dcm files of `folder`, sorted by ImagePositionPatient z (lowest first), read independently of core/dicom.
std::vector<std::filesystem::path> filesByZ(const std::filesystem::path& folder);
double positionZ(const std::filesystem::path& file);

// Copies `files` into `target` as slice-000.dcm, slice-001.dcm, ... and returns the new paths.
std::vector<std::filesystem::path> copyAs(const std::vector<std::filesystem::path>& files,
                                          const std::filesystem::path& target);

// Reads `file`, lets `edit` change its data set, writes it back.
void editDicom(const std::filesystem::path& file, const std::function<void(gdcm::DataSet&)>& edit);
void setText(gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, const std::string& value);
std::string newUid();

// Rewrites `src` into `dst` with another transfer syntax (lossless unless `lossy`), using GDCM's codecs.
void transcode(const std::filesystem::path& src, const std::filesystem::path& dst, const gdcm::TransferSyntax& ts,
               bool lossy = false);
// Rewrites `src` into `dst` as Deflated Explicit VR Little Endian.
void deflate(const std::filesystem::path& src, const std::filesystem::path& dst);

// The stored pixel values of `file` with rescale applied, decoded by GDCM directly (the reference for HU tests).
std::vector<double> referenceHu(const std::filesystem::path& file);

}  // namespace lunglens::test
