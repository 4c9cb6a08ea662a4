#include "tests/dicom/enhanced_ct.h"

#include <dcmtk/dcmdata/dctk.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;

namespace lunglens::test {
namespace {

constexpr const char* kEnhancedCt = "1.2.840.10008.5.1.4.1.1.2.1";

std::string textOf(DcmDataset& ds, const DcmTagKey& key) {
  OFString v;
  ds.findAndGetOFStringArray(key, v);
  return v.c_str();
}

void insertMacro(DcmItem& groups, const DcmTagKey& sequence, const DcmTagKey& key, const std::string& value) {
  DcmItem* macro = nullptr;
  ASSERT_TRUE(groups.findOrCreateSequenceItem(sequence, macro, 0).good());
  ASSERT_TRUE(macro->putAndInsertString(key, value.c_str()).good());
}

}  // namespace

void writeEnhancedCt(const std::vector<fs::path>& files, const fs::path& out, const EnhancedCtOptions& options) {
  DcmFileFormat first;
  ASSERT_TRUE(first.loadFile(files.front().c_str()).good());
  DcmDataset& src = *first.getDataset();
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  for (const DcmTagKey& key :
       {DCM_PatientName, DCM_PatientID, DCM_StudyInstanceUID, DCM_SeriesInstanceUID, DCM_StudyDate,
        DCM_StudyDescription, DCM_SeriesDescription, DCM_SeriesNumber, DCM_FrameOfReferenceUID, DCM_Modality}) {
    ASSERT_TRUE(ds.putAndInsertString(key, textOf(src, key).c_str()).good());
  }
  char uid[100];
  ds.putAndInsertString(DCM_SOPClassUID, kEnhancedCt);
  ds.putAndInsertString(DCM_SOPInstanceUID, options.sopInstanceUid.empty()
                                                ? dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)
                                                : options.sopInstanceUid.c_str());
  ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL\\NONE");
  ds.putAndInsertString(DCM_InstanceNumber, "1");
  ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(files.size()).c_str());
  Uint16 rows = 0, cols = 0;
  src.findAndGetUint16(DCM_Rows, rows);
  src.findAndGetUint16(DCM_Columns, cols);
  ds.putAndInsertUint16(DCM_Rows, rows);
  ds.putAndInsertUint16(DCM_Columns, cols);
  ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  ds.putAndInsertUint16(DCM_BitsAllocated, 16);
  ds.putAndInsertUint16(DCM_BitsStored, 16);
  ds.putAndInsertUint16(DCM_HighBit, 15);
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);

  DcmItem* shared = nullptr;
  ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0).good());
  insertMacro(*shared, DCM_PixelMeasuresSequence, DCM_PixelSpacing, textOf(src, DCM_PixelSpacing));
  insertMacro(*shared, DCM_PixelMeasuresSequence, DCM_SliceThickness, textOf(src, DCM_SliceThickness));
  insertMacro(*shared, DCM_PlaneOrientationSequence, DCM_ImageOrientationPatient,
              textOf(src, DCM_ImageOrientationPatient));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleIntercept, textOf(src, DCM_RescaleIntercept));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleSlope, textOf(src, DCM_RescaleSlope));
  insertMacro(*shared, DCM_PixelValueTransformationSequence, DCM_RescaleType, "HU");

  const std::size_t pixels = std::size_t(rows) * cols;
  std::vector<Uint16> all(pixels * files.size());
  for (std::size_t k = 0; k < files.size(); ++k) {
    DcmFileFormat slice;
    ASSERT_TRUE(slice.loadFile(files[k].c_str()).good()) << files[k];
    DcmDataset& s = *slice.getDataset();
    EXPECT_EQ(textOf(s, DCM_RescaleIntercept), textOf(src, DCM_RescaleIntercept)) << "the series' rescale varies";
    const Uint16* data = nullptr;
    unsigned long count = 0;
    ASSERT_TRUE(s.findAndGetUint16Array(DCM_PixelData, data, &count).good());
    ASSERT_EQ(count, pixels);
    const bool odd = k % 2 == 1;
    // The source stores 12 bits (BitsStored 12): keep those, as a reader of the source does.
    for (std::size_t i = 0; i < pixels; ++i)
      all[k * pixels + i] = static_cast<Uint16>((data[i] & 0x0fff) + (odd ? 1000 : 0));
    DcmItem* frame = nullptr;
    ASSERT_TRUE(ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, static_cast<long>(k)).good());
    if (static_cast<int>(k) != options.frameWithoutPosition) {
      insertMacro(*frame, DCM_PlanePositionSequence, DCM_ImagePositionPatient, textOf(s, DCM_ImagePositionPatient));
    }
    if (odd) {
      const double intercept = std::stod(textOf(s, DCM_RescaleIntercept)) - 1000.0;
      insertMacro(*frame, DCM_PixelValueTransformationSequence, DCM_RescaleIntercept,
                  std::to_string(intercept).substr(0, 12));
      insertMacro(*frame, DCM_PixelValueTransformationSequence, DCM_RescaleSlope, textOf(s, DCM_RescaleSlope));
    }
    insertMacro(*frame, DCM_FrameContentSequence, DCM_InStackPositionNumber, std::to_string(k + 1));
  }
  ASSERT_TRUE(ds.putAndInsertUint16Array(DCM_PixelData, all.data(), static_cast<unsigned long>(all.size())).good());
  const OFCondition saved = file.saveFile(out.c_str(), options.syntax);
  ASSERT_TRUE(saved.good()) << saved.text();
}

std::vector<fs::path> framesHighestFirst() {
  std::vector<fs::path> files = test::filesByZ(test::lungB40fFolder());
  std::reverse(files.begin(), files.end());
  return files;
}

}  // namespace lunglens::test
