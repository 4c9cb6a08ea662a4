// The "Im" rule (core/dicom/image_number): on the shared real series every slice's image number is the file's
// InstanceNumber (read here with GDCM directly); series without usable InstanceNumbers fall back to index + 1; the
// command-line forms "N" (index) and "im:N" (image number) find the same slice.
#include <gtest/gtest.h>

#include <gdcmAttribute.h>
#include <gdcmReader.h>
#include <iostream>

#include "core/common/error.h"
#include "core/dicom/image_number.h"
#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"

using namespace lunglens;
using core::dicom::SeriesInfo;

namespace {

int instanceNumberInFile(const std::string& path) {
  gdcm::Reader reader;
  reader.SetFileName(path.c_str());
  EXPECT_TRUE(reader.Read()) << path;
  gdcm::Attribute<0x0020, 0x0013> at;
  at.SetFromDataSet(reader.GetFile().GetDataSet());
  return at.GetValue();
}

SeriesInfo numbered(std::vector<int> instance) {
  SeriesInfo s;
  for (int n : instance) {
    core::dicom::SliceRef r;
    r.instance_number = n;
    s.slices.push_back(r);
  }
  return s;
}

TEST(ImageNumber, OnTheSharedSeriesEveryImIsTheFilesInstanceNumber) {
  const auto catalog = core::dicom::scan(test::lungPetCtDx());
  ASSERT_GE(catalog.series.size(), 4u);
  int differing = 0;
  for (const SeriesInfo& s : catalog.series) {
    ASSERT_TRUE(core::dicom::usesInstanceNumbers(core::dicom::imageNumbers(s))) << s.series_description;
    for (int z = 0; z < static_cast<int>(s.slices.size()); ++z) {
      const int instance = instanceNumberInFile(s.slices[static_cast<std::size_t>(z)].path);
      ASSERT_EQ(core::dicom::imageNumber(s, z), instance) << s.slices[static_cast<std::size_t>(z)].path;
      EXPECT_EQ(core::dicom::imageLabel(s, z), "Im " + std::to_string(instance));
      EXPECT_EQ(core::dicom::parseSliceSpec(s, "im:" + std::to_string(instance)), z);
      EXPECT_EQ(core::dicom::parseSliceSpec(s, std::to_string(z)), z);
      if (instance != z + 1) ++differing;
    }
    const int mid = static_cast<int>(s.slices.size()) / 2;
    std::cout << s.series_description << ": index " << mid << " (1-based " << mid + 1 << ") is DICOM image "
              << core::dicom::imageNumber(s, mid) << "\n";
  }
  // The reason for the rule: on real data the stack position and the image number differ.
  EXPECT_GT(differing, 0);
}

TEST(ImageNumber, FallsBackToTheOneBasedIndexWithoutUsableInstanceNumbers) {
  EXPECT_EQ(core::dicom::imageNumbers(numbered({7, 8, 9})), (std::vector<int>{7, 8, 9}));
  EXPECT_EQ(core::dicom::imageNumbers(numbered({0, 0, 0})), (std::vector<int>{1, 2, 3}));  // missing
  EXPECT_EQ(core::dicom::imageNumbers(numbered({5, 5, 6})), (std::vector<int>{1, 2, 3}));  // duplicated
  EXPECT_EQ(core::dicom::imageNumbers(numbered({5, 0, 6})), (std::vector<int>{1, 2, 3}));  // partly missing
  EXPECT_EQ(core::dicom::imageLabel(numbered({0, 0}), 1), "Im 2");
  EXPECT_EQ(core::dicom::sliceOfImageNumber(numbered({30, 20, 10}), 10), 2);
  EXPECT_FALSE(core::dicom::sliceOfImageNumber(numbered({30, 20, 10}), 11).has_value());
}

TEST(ImageNumber, SliceSpecsNameTheRangeWhenWrong) {
  const SeriesInfo s = numbered({93, 94, 95});
  EXPECT_EQ(core::dicom::parseSliceSpec(s, "im:94"), 1);
  EXPECT_EQ(core::dicom::parseSliceSpec(s, "2"), 2);
  try {
    core::dicom::parseSliceSpec(s, "im:3");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("images 93 to 95"), std::string::npos) << e.what();
  }
  try {
    core::dicom::parseSliceSpec(s, "3");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("0..2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(core::dicom::parseSliceSpec(s, "im:x"), core::InputError);
  EXPECT_THROW(core::dicom::parseSliceSpec(s, "1.5"), core::InputError);
}

}  // namespace
