#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/phantom/phantom_set.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::phantom {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

TEST(PhantomSet, BalancedDatasetWithOneCsvRowPerSlice) {
  const auto out = test::scratchDir("phantom-set");
  PhantomSetOptions o;
  o.subjects = 6;
  o.seed = 5;
  o.slices = 8;
  o.size = 64;
  int last = 0;
  o.progress = [&](int done, int total) {
    EXPECT_EQ(total, 6);
    last = done;
  };
  const auto csv = writePhantomSet(out, o);
  EXPECT_EQ(last, 6);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, kLabelsCsvHeader);
  const auto header = split(line);
  std::map<std::string, int> rows_per_subject, studies;
  std::map<std::string, std::string> study_of;
  int rows = 0;
  while (std::getline(in, line)) {
    const auto c = split(line);
    ASSERT_EQ(c.size(), header.size()) << line;
    ++rows;
    const std::string subject = c[0], series = c[1], study = c[5], slice_label = c[6], manifestations = c[7];
    ++rows_per_subject[subject];
    study_of[subject] = study;
    EXPECT_TRUE(std::filesystem::exists(out / c[3])) << c[3];
    // The slice label follows the subject's truth.json.
    std::ifstream tj(out / subject / "truth.json");
    const auto truth = nlohmann::json::parse(tj);
    const auto& s = truth["slices"][static_cast<std::size_t>(std::stoi(c[2]))];
    EXPECT_EQ(slice_label, s["label"].get<std::string>());
    EXPECT_EQ(study, truth["study"]["diagnosis"].get<std::string>());
    EXPECT_EQ(manifestations.empty(), s["manifestations"].empty());
    EXPECT_NEAR(std::stod(c[9]), s["involved_fraction"].get<double>(), 1e-5);
    // The finding's area: its voxel count times the pixel area of the series.
    const auto& px = truth["geometry"]["pixel_spacing_mm"];
    const double voxels = std::round(s["involved_fraction"].get<double>() * s["lung_voxels"].get<double>());
    EXPECT_NEAR(std::stod(c[13]), voxels * px[0].get<double>() * px[1].get<double>(), 1e-3);
    EXPECT_EQ(std::stod(c[13]) > 0, !manifestations.empty());
    if (slice_label == "normal") {
      EXPECT_TRUE(study == "normal" || manifestations.empty() || manifestations == "nodule");
    }
  }
  EXPECT_EQ(rows, 6 * 8);
  for (const auto& [subject, n] : rows_per_subject) EXPECT_EQ(n, 8) << subject;
  for (const auto& [subject, study] : study_of) ++studies[study];
  EXPECT_EQ(studies["covid"], 2);
  EXPECT_EQ(studies["other_pneumonia"], 2);
  EXPECT_EQ(studies["normal"], 2);
}

TEST(PhantomSet, SubjectParametersAreDeterministicAndVaried) {
  PhantomSetOptions o;
  o.seed = 9;
  EXPECT_EQ(phantomSetSubject(o, 4).canonical(), phantomSetSubject(o, 4).canonical());
  EXPECT_NE(phantomSetSubject(o, 0).seed, phantomSetSubject(o, 3).seed);
  EXPECT_EQ(phantomSetSubject(o, 0).diagnosis, Diagnosis::Covid);
  EXPECT_EQ(phantomSetSubject(o, 1).diagnosis, Diagnosis::OtherPneumonia);
  EXPECT_EQ(phantomSetSubject(o, 2).diagnosis, Diagnosis::Normal);
  EXPECT_EQ(phantomSetSubjectId(0), "subject_0001");
}

}  // namespace
}  // namespace lunglens::core::phantom
