#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/metrics/predictions_csv.h"
#include "tests/common/test_paths.h"

using namespace lunglens::core;
using namespace lunglens::core::metrics;

static std::filesystem::path writeFile(const std::string& text) {
  const auto dir = lunglens::test::scratchDir("csv");
  const auto file = dir / "predictions.csv";
  std::ofstream(file) << text;
  return file;
}

TEST(PredictionsCsv, ReadsClassesFromColumnsAndRoundTrips) {
  const auto file = writeFile(
      "subject_id,label,p_covid,p_other_pneumonia,p_normal,slice_index\n"
      "A,covid,0.7,0.2,0.1,0\nA,normal,0.2,0.1,0.7,1\nB,normal,0.1,0.1,0.8,0\n");
  const auto t = readPredictionsCsv(file);
  EXPECT_EQ(t.classes, (std::vector<std::string>{"covid", "other_pneumonia", "normal"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[1].label, 2);
  EXPECT_EQ(t.rows[1].slice_index, 1);
  const auto again = readPredictionsCsv(writeFile(toPredictionsCsv(t)));
  EXPECT_EQ(again.rows.size(), 3u);
  EXPECT_DOUBLE_EQ(again.rows[0].probabilities[0], 0.7);
}

TEST(PredictionsCsv, NamesTheLineOfABadRow) {
  try {
    readPredictionsCsv(writeFile("subject_id,label,p_a,p_b\nS,a,0.5,0.5\nS,c,0.5,0.5\n"));
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(readPredictionsCsv(writeFile("subject_id,label,p_a,p_b\nS,a,1.5,0.5\n")), InputError);
  EXPECT_THROW(readPredictionsCsv(writeFile("subject,label,p_a,p_b\nS,a,0.5,0.5\n")), InputError);
}

TEST(PredictionsCsv, AggregatesSlicesPerSubjectWithTheStudyRule) {
  const auto t = readPredictionsCsv(writeFile(
      "subject_id,label,p_covid,p_other_pneumonia,p_normal\n"
      "A,normal,0.1,0.1,0.8\nA,covid,0.9,0.05,0.05\nA,covid,0.7,0.1,0.2\nB,normal,0.2,0.2,0.6\n"));
  const StudyRule maxCovid = [](const std::vector<std::vector<double>>& p) {
    std::vector<double> best = p.front();
    for (const auto& s : p) if (s[0] > best[0]) best = s;
    return best;
  };
  const auto subjects = aggregateBySubject(t, maxCovid);
  ASSERT_EQ(subjects.size(), 2u);
  EXPECT_EQ(subjects[0].subject_id, "A");
  EXPECT_EQ(subjects[0].label, 0);  // any covid slice makes the subject covid
  EXPECT_DOUBLE_EQ(subjects[0].probabilities[0], 0.9);
  EXPECT_EQ(subjects[1].label, 2);
}
