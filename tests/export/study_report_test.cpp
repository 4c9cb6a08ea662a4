// The study report: CSV and JSON of per-slice scores, and the HTML summary with its SVG curve and key slices.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/export/study_report.h"
#include "tests/common/test_paths.h"

using namespace lunglens::core;
using namespace lunglens::core::exporting;
namespace fs = std::filesystem;

namespace {

AiResults results() {
  AiResults r;
  r.study_uid = "1.2.3";
  r.series_uid = "1.2.3.4";
  r.model = {"demo-net", "2.0", "synthetic phantoms v3, 2026-11-20", true};
  r.classes = {"covid", "other_pneumonia", "normal"};
  r.manifestation_classes = {"ggo", "consolidation", "fibrotic_streaks"};
  for (int i = 0; i < 10; ++i) {
    const bool covid = i == 4 || i == 5;
    r.slices.push_back({i, "1.2.3.4." + std::to_string(i),
                        covid ? std::vector<double>{0.9, 0.05, 0.05} : std::vector<double>{0.1, 0.2, 0.7},
                        covid ? std::vector<double>{0.6, 0.3, 0.1} : std::vector<double>{}});
  }
  r.verdict = {"covid", {{"covid_top_k_mean", 0.9}}, "top-k mean over threshold", {}};
  return r;
}

dicom::SeriesInfo series() {
  dicom::SeriesInfo s;
  s.study_uid = "1.2.3";
  s.series_uid = "1.2.3.4";
  s.patient_name = "Roe^Richard";
  s.patient_id = "MRN-31337";
  s.accession_number = "ACC-4242";
  s.institution = "General Hospital X";
  s.patient_birth_date = "19500101";
  s.study_description = "CT chest";
  s.slices.resize(10);
  return s;
}

// A lung analysis with known numbers (the real series' analysis goes through the SR test): 7 / 24 in six zones.
lung::LungAnalysis lungAnalysis() {
  lung::LungAnalysis a;
  a.right = {1000, 2810.4, -790, 12.25, 3.5};
  a.left = {900, 2440.2, -800, 20.0, 5.0};
  a.both = {1900, 5250.6, -795, 15.86, 4.17};
  const double ggo[] = {5.0, 0.4, 30.0, 10.0, 0.0, 40.0}, cons[] = {1.0, 0.0, 2.0, 0.0, 0.0, 20.0};
  for (std::size_t k = 0; k < 6; ++k) a.zones[k] = {150, 800.0 + 10 * k, -800, ggo[k], cons[k]};
  a.zone_scores = {1, 1, 2, 1, 0, 3};
  a.severity_score = 8;
  a.warnings = {"partial chest coverage: lung apices not in the series"};
  return a;
}

std::string read(const fs::path& f) {
  std::ifstream in(f);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

}  // namespace

TEST(StudyReport, CsvHasOneRowPerSliceWithFlags) {
  const std::string csv = scoresCsv(results());
  std::istringstream in(csv);
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header,
            "index,sop_instance_uid,p_covid,p_other_pneumonia,p_normal,m_ggo,m_consolidation,m_fibrotic_streaks,"
            "top_class,flagged,ood_score,out_of_distribution");
  std::vector<std::string> rows;
  while (std::getline(in, line)) rows.push_back(line);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[4], "4,1.2.3.4.4,0.9,0.05,0.05,0.6,0.3,0.1,covid,1,,");
  EXPECT_EQ(rows[0], "0,1.2.3.4.0,0.1,0.2,0.7,,,,normal,0,,");
}

TEST(StudyReport, HtmlHasCurveKeySlicesDisclaimerAndNoPhiUnlessAsked) {
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "fake";
  const std::vector<KeySliceImage> keys = {{4, png, "Slice 4: COVID-19 90 %"}};
  const std::string html = reportHtml(results(), series(), keys, false);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  std::size_t curves = 0;
  for (std::size_t at = 0; (at = html.find("class=\"curve\"", at)) != std::string::npos; ++at) ++curves;
  EXPECT_EQ(curves, 3u) << "one curve per class";
  std::size_t flaggedMarks = 0;
  for (std::size_t at = 0; (at = html.find("class=\"flagged\"", at)) != std::string::npos; ++at) ++flaggedMarks;
  EXPECT_EQ(flaggedMarks, 2u);
  EXPECT_NE(html.find("data:image/png;base64," + base64(png)), std::string::npos);
  EXPECT_NE(html.find("Reading aid \u2014 not for diagnostic use"), std::string::npos);
  EXPECT_NE(html.find("synthetic phantoms"), std::string::npos);
  EXPECT_NE(html.find("Study verdict: COVID-19"), std::string::npos);
  for (const std::string phi : {"Roe", "MRN-31337", "ACC-4242", "General Hospital", "19500101"}) {
    EXPECT_EQ(html.find(phi), std::string::npos) << phi;
    EXPECT_EQ(reportJson(results(), series(), false).dump().find(phi), std::string::npos) << phi;
  }
  const std::string withPhi = reportHtml(results(), series(), keys, true);
  EXPECT_NE(withPhi.find("MRN-31337"), std::string::npos);
  EXPECT_EQ(reportJson(results(), series(), true)["study"]["patient_id"], "MRN-31337");
  dicom::SeriesInfo nasty = series();
  nasty.study_description = "<script>alert(1)</script>";
  EXPECT_EQ(reportHtml(results(), nasty, {}, true).find("<script>"), std::string::npos);
}

// Issue 18: the anonymized report printed the free-text study and series descriptions (which may name the patient).
TEST(StudyReport, AnonymizedReportLeavesOutTheDescriptions) {
  dicom::SeriesInfo s = series();
  s.study_description = "CT chest for Richard Roe";
  s.series_description = "Roe follow-up";
  for (const std::string& text : {reportHtml(results(), s, {}, false), reportJson(results(), s, false).dump()}) {
    EXPECT_EQ(text.find("Richard Roe"), std::string::npos);
    EXPECT_EQ(text.find("Roe follow-up"), std::string::npos);
  }
  EXPECT_NE(reportHtml(results(), s, {}, true).find("CT chest for Richard Roe"), std::string::npos);
  EXPECT_EQ(reportJson(results(), s, true)["study"]["series_description"], "Roe follow-up");
}

TEST(StudyReport, Base64MatchesKnownVectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
}

TEST(StudyReport, WritesAllThreeFilesOrNone) {
  const fs::path dir = lunglens::test::scratchDir("study-report") / "out";
  writeStudyReport(dir, results(), series(), {}, false, false);
  EXPECT_TRUE(fs::exists(dir / "report.html"));
  EXPECT_EQ(read(dir / "scores.csv"), scoresCsv(results()));
  const auto json = nlohmann::json::parse(read(dir / "report.json"));
  EXPECT_EQ(json["flagged_slices"], nlohmann::json::array({4, 5}));
  EXPECT_THROW(writeStudyReport(dir, results(), series(), {}, false, false), InputError);
  std::ofstream(dir.parent_path() / "blocker") << "x";
  EXPECT_THROW(writeStudyReport(dir.parent_path() / "blocker" / "r", results(), series(), {}, false, false),
               InputError);
}

TEST(ClassifyImport, ReadsTheClassifyJson) {
  const auto j = nlohmann::json::parse(R"({
    "series_uid": "1.2.3.4", "study_uid": "1.2.3", "disclaimer": "x",
    "diagnosis_model": {"name": "tiny", "version": "0.1", "provenance": {"training_data": "phantoms", "synthetic": true,
                        "date": "2026-11-01", "metrics": {}}},
    "manifestation_model": null,
    "study": {"verdict": "covid", "slices": 2, "top_k": 1, "rule": "r",
              "scores": {"covid": {"top_k_mean": 0.8, "fraction_over_threshold": 0.5, "slices_over_threshold": 1,
                                   "threshold": 0.5}}},
    "slices": [{"index": 1, "diagnosis": {"normal": 0.1, "covid": 0.8, "other_pneumonia": 0.1},
                "manifestation": {"ggo": 0.5, "consolidation": 0.3, "fibrotic_streaks": 0.2}},
               {"index": 0, "diagnosis": {"normal": 0.9, "covid": 0.05, "other_pneumonia": 0.05},
                "manifestation": null}]})");
  const AiResults r = aiResultsFromClassifyJson(j, "t");
  EXPECT_EQ(r.classes, (std::vector<std::string>{"covid", "other_pneumonia", "normal"}));
  EXPECT_EQ(r.manifestation_classes, (std::vector<std::string>{"ggo", "consolidation", "fibrotic_streaks"}));
  ASSERT_EQ(r.slices.size(), 2u);
  EXPECT_EQ(r.slices[0].index, 0);
  EXPECT_EQ(r.slices[1].probabilities, (std::vector<double>{0.8, 0.1, 0.1}));
  EXPECT_TRUE(r.slices[0].manifestation.empty());
  EXPECT_EQ(r.model.provenance, "phantoms, 2026-11-01");
  EXPECT_EQ(r.verdict.class_name, "covid");
  EXPECT_DOUBLE_EQ(r.verdict.numbers.at("covid_top_k_mean"), 0.8);
  EXPECT_EQ(suspiciousSlices(r), (std::vector<int>{1}));
  auto bad = j;
  bad["slices"][0]["diagnosis"]["covid"] = 1.5;
  EXPECT_THROW(aiResultsFromClassifyJson(bad, "t"), InputError);
}

// Issue 13: a series unlike the model's training data: the report shows the warning in place of the verdict, the
// score curve and the flagged slices; the JSON keeps the scores but marks the verdict withheld.
TEST(StudyReport, OutOfDistributionSeriesIsReportedWithheld) {
  AiResults r = results();
  r.ood = {true, 10, 9, true};
  const std::string html = reportHtml(r, series(), {}, false);
  EXPECT_NE(html.find("ood-warning"), std::string::npos);
  EXPECT_NE(html.find("scores withheld"), std::string::npos);
  EXPECT_NE(html.find("9 of 10 lung slices unlike the training data"), std::string::npos);
  EXPECT_EQ(html.find("Study verdict"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("Flagged slices"), std::string::npos);
  const auto j = reportJson(r, series(), false);
  EXPECT_EQ(j["verdict"]["class"], "");
  EXPECT_TRUE(j["verdict"]["withheld"].get<bool>());
  EXPECT_TRUE(j["ood"]["out_of_distribution"].get<bool>());
  EXPECT_TRUE(j["flagged_slices"].empty());

  r.shown_anyway = true;  // the reader asked: the verdict is back, the warning stays
  const std::string shown = reportHtml(r, series(), {}, false);
  EXPECT_NE(shown.find("Study verdict: COVID-19"), std::string::npos);
  EXPECT_NE(shown.find("shown anyway"), std::string::npos);

  const std::string inDistribution = reportHtml(results(), series(), {}, false);
  EXPECT_EQ(inDistribution.find("ood-warning"), std::string::npos);
}

// Issue 12: report.json gets the lung analysis as a "lung" object (lung_json's form without the per-slice array),
// report.html a "Lung analysis" section with every zone, the volumes and the severity score; none without one.
TEST(StudyReport, CarriesTheLungAnalysisWhenGiven) {
  const lung::LungAnalysis a = lungAnalysis();
  const auto j = reportJson(results(), series(), false, &a);
  ASSERT_TRUE(j.contains("lung"));
  EXPECT_EQ(j["lung"]["schema"], "lunglens.lung_analysis/1");
  EXPECT_EQ(j["lung"]["severity_score"], 8);
  EXPECT_EQ(j["lung"]["severity_score_max"], 24);
  EXPECT_DOUBLE_EQ(j["lung"]["both"]["volume_ml"].get<double>(), 5250.6);
  ASSERT_EQ(j["lung"]["zones"].size(), 6u);
  EXPECT_EQ(j["lung"]["zones"][5]["zone"], "left_lower");
  EXPECT_EQ(j["lung"]["zones"][5]["score"], 3);
  EXPECT_DOUBLE_EQ(j["lung"]["zones"][5]["consolidation_percent"].get<double>(), 20.0);
  EXPECT_FALSE(j["lung"].contains("slices")) << "the per-slice array belongs to `quantify`, not the report";
  EXPECT_NE(j["lung"]["note"].get<std::string>().find("not an AI score"), std::string::npos);
  EXPECT_FALSE(reportJson(results(), series(), false).contains("lung"));

  const std::string html = reportHtml(results(), series(), {}, false, &a);
  for (const std::string& want : std::vector<std::string>{
           "<h2>Lung analysis</h2>", "not an AI score", "Ground glass -700 to -250 HU", "8 / 24",
           "Right 2810 mL, left 2440 mL, total 5251 mL",
           "<tr><td>Left lower</td><td>850 mL</td><td>40.0 %</td><td>20.0 %</td><td>3</td></tr>",
           "<tr><td>Right middle</td><td>810 mL</td><td>0.4 %</td><td>0.0 %</td><td>1</td></tr>",
           "<tr><td>Both lungs</td><td>5251 mL</td><td>15.9 %</td><td>4.2 %</td><td>8</td></tr>",
           "partial chest coverage"}) {
    EXPECT_NE(html.find(want), std::string::npos) << "missing '" << want << "'";
  }
  EXPECT_EQ(reportHtml(results(), series(), {}, false).find("Lung analysis"), std::string::npos);
  // A density measurement, not the AI: it stays where the AI verdict is withheld.
  AiResults withheld = results();
  withheld.ood = {true, 10, 9, true};
  EXPECT_NE(reportHtml(withheld, series(), {}, false, &a).find("<h2>Lung analysis</h2>"), std::string::npos);
  EXPECT_EQ(reportJson(withheld, series(), false, &a)["lung"]["severity_score"], 8);

  const fs::path dir = lunglens::test::scratchDir("study-report-lung") / "out";
  writeStudyReport(dir, results(), series(), {}, false, false, &a);
  EXPECT_EQ(nlohmann::json::parse(read(dir / "report.json"))["lung"]["zones"][2]["score"], 2);
  EXPECT_NE(read(dir / "report.html").find("<h2>Lung analysis</h2>"), std::string::npos);
}
