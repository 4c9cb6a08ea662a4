// Echo, find and retrieve against the real Orthanc, over DIMSE and DICOMweb alike.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/common/error.h"
#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;
namespace pacs = lunglens::core::pacs;

namespace {

pacs::Connection connection(pacs::Protocol p) {
  orthanc();  // (re)started if a test stopped it
  return p == pacs::Protocol::Dimse ? dimseConnection() : webConnection();
}

std::set<std::string> patients(const std::vector<pacs::Match>& matches) {
  std::set<std::string> ids;
  for (const auto& m : matches) ids.insert(m.patient_id);
  return ids;
}

// The retrieved folder loads into the very voxels (and geometry) the shared folder loads into.
void expectSameVolume(const fs::path& retrieved, const core::dicom::SeriesInfo& shared) {
  const auto catalog = core::dicom::scan(retrieved);
  ASSERT_EQ(catalog.series.size(), 1u);
  EXPECT_TRUE(catalog.skipped.empty());
  const auto& got = catalog.series[0];
  EXPECT_EQ(got.series_uid, shared.series_uid);
  ASSERT_EQ(got.slices.size(), shared.slices.size());
  for (std::size_t i = 0; i < got.slices.size(); ++i) {
    EXPECT_EQ(got.slices[i].sop_instance_uid, shared.slices[i].sop_instance_uid) << i;
  }
  const auto a = core::dicom::loadSeries(got), b = core::dicom::loadSeries(shared);
  ASSERT_EQ(a->bytes(), b->bytes());
  EXPECT_EQ(a->geometry().rows, b->geometry().rows);
  EXPECT_EQ(a->geometry().cols, b->geometry().cols);
  for (int z = 0; z < a->slices(); ++z) {
    EXPECT_DOUBLE_EQ(a->slicePosition_mm(z), b->slicePosition_mm(z));
    ASSERT_EQ(std::memcmp(a->slice(z), b->slice(z), a->geometry().voxelsPerSlice() * sizeof(std::int16_t)), 0)
        << "slice " << z;
  }
}

class PacsProtocols : public ::testing::TestWithParam<pacs::Protocol> {};

}  // namespace

TEST_P(PacsProtocols, EchoAnswers) { EXPECT_NO_THROW(pacs::echo(connection(GetParam()))); }

TEST_P(PacsProtocols, FindsStudiesAndSeriesByPatientId) {
  const auto c = connection(GetParam());
  pacs::Query q;
  q.patient_id = "Lung_Dx-A0001";
  const auto studies = pacs::find(c, q);
  ASSERT_EQ(studies.size(), 1u);
  EXPECT_EQ(studies[0].study_uid, sharedSeries("Lung_Dx-A0001", 2).study_uid);
  EXPECT_EQ(studies[0].study_date, "20070404");
  EXPECT_EQ(studies[0].instances, 128);

  q.level = pacs::Level::Series;
  q.study_uid = studies[0].study_uid;
  auto series = pacs::find(c, q);
  std::sort(series.begin(), series.end(), [](auto& a, auto& b) { return a.series_number < b.series_number; });
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].series_uid, sharedSeries("Lung_Dx-A0001", 2).series_uid);
  EXPECT_EQ(series[0].instances, 64);
  EXPECT_EQ(series[0].modality, "CT");
  EXPECT_EQ(series[1].series_number, 3);
}

TEST_P(PacsProtocols, FindsByStudyDateRange) {
  const auto c = connection(GetParam());
  pacs::Query q;
  q.date_from = "20070401", q.date_to = "20070410";
  EXPECT_EQ(patients(pacs::find(c, q)), std::set<std::string>{"Lung_Dx-A0001"});
  q.date_from = "20070420", q.date_to = "";
  EXPECT_EQ(patients(pacs::find(c, q)), std::set<std::string>{"Lung_Dx-A0002"});
  q.date_from = "", q.date_to = "20070430";
  EXPECT_EQ(patients(pacs::find(c, q)), (std::set<std::string>{"Lung_Dx-A0001", "Lung_Dx-A0002"}));
  q.date_from = "20080101", q.date_to = "20081231";
  EXPECT_TRUE(pacs::find(c, q).empty());
  q.date_from = "20071301";
  EXPECT_THROW(pacs::find(c, q), core::InputError);  // month 13: refused before asking the node
}

TEST_P(PacsProtocols, FindsByModalityAndDescription) {
  const auto c = connection(GetParam());
  pacs::Query q;
  q.level = pacs::Level::Series;
  q.modality = "CT";
  EXPECT_EQ(pacs::find(c, q).size(), 4u);
  q.description = "B70f";  // one of A0002's two reconstructions
  const auto found = pacs::find(c, q);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].series_uid, sharedSeries("Lung_Dx-A0002", 2).series_uid);
}

TEST_P(PacsProtocols, RetrievesASeriesWithTheVoxelsOfTheSharedFolder) {
  const auto c = connection(GetParam());
  const auto& shared = sharedSeries("Lung_Dx-A0002", 3);
  const fs::path dest = pacsScratch("retrieve") / "series";
  std::vector<int> seen;
  pacs::TransferOptions options;
  options.progress = [&](int done, int total) {
    seen.push_back(done);
    EXPECT_EQ(total, 30);
  };
  EXPECT_EQ(pacs::retrieve(c, shared.study_uid, shared.series_uid, dest, options), 30);
  ASSERT_EQ(seen.size(), 30u);
  EXPECT_EQ(seen.back(), 30);
  EXPECT_TRUE(noStagingLeft(dest.parent_path(), "series"));
  expectSameVolume(dest, shared);
}

TEST_P(PacsProtocols, CancelledRetrievalLeavesNothing) {
  const auto c = connection(GetParam());
  const auto& shared = sharedSeries("Lung_Dx-A0001", 2);
  const fs::path dest = pacsScratch("cancel") / "series";
  pacs::TransferOptions options;
  options.progress = [&](int done, int) {
    if (done == 3) options.cancel.cancel();
  };
  EXPECT_THROW(pacs::retrieve(c, shared.study_uid, shared.series_uid, dest, options), core::Cancelled);
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_TRUE(noStagingLeft(dest.parent_path(), "series"));
  // The node is still fine afterwards.
  EXPECT_NO_THROW(pacs::echo(c));
}

TEST_P(PacsProtocols, RetrievalNeverMergesIntoAnExistingFolder) {
  const auto c = connection(GetParam());
  const auto& shared = sharedSeries("Lung_Dx-A0002", 2);
  const fs::path dest = pacsScratch("exists");
  try {
    pacs::retrieve(c, shared.study_uid, shared.series_uid, dest, {});
    FAIL() << "retrieved into an existing folder";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("exists already"), std::string::npos) << e.what();
  }
}

TEST_P(PacsProtocols, UnknownSeriesIsAClearError) {
  const auto c = connection(GetParam());
  const auto& shared = sharedSeries("Lung_Dx-A0002", 2);
  const fs::path dest = pacsScratch("unknown") / "series";
  try {
    pacs::retrieve(c, shared.study_uid, "1.2.3.4.5.6", dest, {});
    FAIL() << "no error";
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no series 1.2.3.4.5.6"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dest));
}

INSTANTIATE_TEST_SUITE_P(Orthanc, PacsProtocols, ::testing::Values(pacs::Protocol::Dimse, pacs::Protocol::DicomWeb),
                         [](const auto& info) { return std::string(pacs::protocolName(info.param)); });
