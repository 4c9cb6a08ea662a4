// Overlay text: what each corner says, with and without patient-identifying data.
#include "ui/viewer/overlay_text.h"

#include <gtest/gtest.h>

using namespace lunglens;
using ui::viewer::buildOverlayText;
using ui::viewer::OverlayState;
using ui::viewer::StudyFacts;

namespace {

StudyFacts fullFacts() {
  StudyFacts f;
  f.patient_name = "Smith^John^Q";
  f.patient_id = "MRN0042";
  f.patient_birth_date = "19560317";
  f.study_date = "20070404";
  f.study_time = "101500";
  f.accession_number = "ACC987";
  f.institution = "St Elsewhere Hospital";
  f.patient_sex = "M";
  f.study_description = "Chest";
  f.series_description = "5mm";
  f.modality = "CT";
  f.series_number = 2;
  f.slice_thickness_mm = 5.0;
  return f;
}

OverlayState state() {
  OverlayState s;
  s.slice = 31;
  s.slice_count = 64;
  s.ready_count = 64;
  s.slice_position_mm = -152.25;
  s.window = core::volume::lungWindow();
  s.zoom = 1.5;
  return s;
}

std::string all(const ui::viewer::OverlayText& t) {
  return t.top_left + "|" + t.top_right + "|" + t.bottom_left + "|" + t.bottom_right;
}

}  // namespace

TEST(OverlayText, ShowsPatientStudySliceAndWindow) {
  const auto t = buildOverlayText(fullFacts(), state());
  EXPECT_EQ(t.top_left, "Smith, John Q\nID MRN0042\nBorn 1956-03-17  Sex M\nSt Elsewhere Hospital");
  EXPECT_EQ(t.top_right, "Chest\n2007-04-04\nAcc ACC987\nSe 2: 5mm\nCT");
  EXPECT_EQ(t.bottom_left, "Im 32 / 64\nPos -152.2 mm\nThk 5.0 mm");
  EXPECT_EQ(t.bottom_right, "W 1500  L -600  (lung)\nZoom 1.50x");
}

TEST(OverlayText, HidingPatientDataLeavesNothingIdentifying) {
  OverlayState s = state();
  s.phi_hidden = true;
  const std::string text = all(buildOverlayText(fullFacts(), s));
  for (const char* phi : {"Smith", "John", "MRN0042", "1956", "2007", "ACC987", "Elsewhere"}) {
    EXPECT_EQ(text.find(phi), std::string::npos) << phi;
  }
  EXPECT_NE(text.find("Patient data hidden"), std::string::npos);
  EXPECT_NE(text.find("Se 2: 5mm"), std::string::npos);
  EXPECT_NE(text.find("Im 32 / 64"), std::string::npos);
}

TEST(OverlayText, ReportsLoadingAndTheHuUnderTheCursor) {
  OverlayState s = state();
  s.ready_count = 10;
  s.hu = -847;
  s.cursor_x = 200;
  s.cursor_y = 311;
  const auto t = buildOverlayText(fullFacts(), s);
  EXPECT_NE(t.bottom_left.find("Loading 10 / 64"), std::string::npos);
  EXPECT_NE(t.bottom_left.find("HU -847  (x 200, y 311)"), std::string::npos);
}

TEST(OverlayText, CustomWindowHasNoName) {
  OverlayState s = state();
  s.window = core::volume::Window{420, 45, ""};
  EXPECT_EQ(buildOverlayText(fullFacts(), s).bottom_right, "W 420  L 45\nZoom 1.50x");
}

TEST(OverlayText, EmptyFactsGiveNoEmptyLines) {
  const auto t = buildOverlayText(StudyFacts{}, state());
  EXPECT_EQ(t.top_left, "");
  EXPECT_EQ(t.top_right, "");
  EXPECT_EQ(t.bottom_left, "Im 32 / 64\nPos -152.2 mm");
}

TEST(OverlayText, DicomNamesAndDates) {
  EXPECT_EQ(ui::viewer::formatPersonName("Lung_Dx-A0001"), "Lung_Dx-A0001");
  EXPECT_EQ(ui::viewer::formatPersonName("Doe^Jane"), "Doe, Jane");
  EXPECT_EQ(ui::viewer::formatPersonName("Doe^Jane^^Dr=ドウ^ジェーン"), "Doe, Jane");
  EXPECT_EQ(ui::viewer::formatDescription("Thorax^AThoraxRoutine (Adult)"), "Thorax AThoraxRoutine (Adult)");
  EXPECT_EQ(ui::viewer::formatDescription(" ThoraxRoutine  8.0.0  B70f "), "ThoraxRoutine 8.0.0 B70f");
  EXPECT_EQ(ui::viewer::formatDicomDate("20070404"), "2007-04-04");
  EXPECT_EQ(ui::viewer::formatDicomDate("2007"), "2007");
}

// The overlay's "Im" follows core::dicom::imageNumbers: InstanceNumbers where each slice has its own, the frame
// number within the file for the frames of one enhanced multi-frame file (all InstanceNumber 1), else the position.
TEST(OverlayText, ImageNumberOfClassicFilesAndOfFramesOfOneFile) {
  auto slice = [](std::string path, int frame, std::string uid, int instance) {
    core::dicom::SliceRef r;
    r.path = std::move(path);
    r.frame = frame;
    r.sop_instance_uid = std::move(uid);
    r.instance_number = instance;
    return r;
  };
  core::dicom::SeriesInfo classic;
  for (int n : {64, 63, 62}) classic.slices.push_back(slice("im" + std::to_string(n) + ".dcm", 0, "1.2." + std::to_string(n), n));
  core::dicom::SeriesInfo enhanced;
  for (int frame : {2, 1, 0}) enhanced.slices.push_back(slice("enhanced.dcm", frame, "1.2.3", 1));
  core::dicom::SeriesInfo twoFiles = enhanced;
  twoFiles.slices[2].path = "other.dcm";
  twoFiles.slices[2].sop_instance_uid = "1.2.4";
  OverlayState s = state();
  s.slice = 0;
  s.slice_count = s.ready_count = 3;
  auto firstLine = [&s](const core::dicom::SeriesInfo& series) {
    const std::string text = buildOverlayText(ui::viewer::studyFactsFrom(series), s).bottom_left;
    return text.substr(0, text.find('\n'));
  };
  EXPECT_EQ(firstLine(classic), "Im 64   (1 / 3)");
  EXPECT_EQ(firstLine(enhanced), "Im 3   (1 / 3)");
  EXPECT_EQ(firstLine(twoFiles), "Im 1 / 3");
  s.slice = 2;
  EXPECT_EQ(firstLine(enhanced), "Im 1   (3 / 3)");
}
