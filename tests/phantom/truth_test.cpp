// truth.json and labels.nii.gz as written, read back and checked against each other voxel by voxel.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/io/nifti.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"
#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

nlohmann::json readJson(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

void checkTruthAgainstLabels(const Phantom& ph, const std::string& name) {
  const auto dir = test::scratchDir(name);
  const StudyPaths paths = writePhantomStudy(ph, dir);
  const auto truth = readJson(paths.truth_json);
  const io::NiftiVolume labels = io::readNifti(paths.labels_nifti);
  const auto& g = ph.layout.geometry;
  ASSERT_EQ(labels.dims, (std::array<int, 3>{g.cols, g.rows, g.slices}));
  ASSERT_EQ(labels.type, io::NiftiType::UInt8);
  // The label ids are documented in the JSON.
  std::map<int, std::string> ids;
  for (auto& [k, v] : truth["labels"]["ids"].items()) ids[std::stoi(k)] = v.get<std::string>();
  EXPECT_EQ(ids.at(0), "none");
  EXPECT_EQ(ids.at(1), "lung");
  EXPECT_EQ(ids.at(2), "ggo");
  EXPECT_EQ(truth["seed"].get<std::uint64_t>(), ph.params.seed);
  EXPECT_EQ(truth["study"]["diagnosis"], diagnosisName(ph.params.diagnosis));
  ASSERT_EQ(truth["slices"].size(), static_cast<std::size_t>(g.slices));
  const std::size_t per = g.voxelsPerSlice();
  for (int k = 0; k < g.slices; ++k) {
    const auto& s = truth["slices"][static_cast<std::size_t>(k)];
    ASSERT_EQ(s["index"].get<int>(), k);
    // Count what the file holds in this slice.
    std::map<int, std::int64_t> count;
    for (std::size_t i = 0; i < per; ++i) ++count[static_cast<unsigned char>(labels.data[k * per + i])];
    std::set<std::string> in_volume;
    std::int64_t lung = 0, involved = 0;
    std::map<std::string, std::int64_t> by_class;
    for (auto [l, c] : count) {
      if (l >= 1) lung += c;
      if (l >= 2) {
        in_volume.insert(ids.at(l)), involved += c;
        by_class[ids.at(l) == "crazy_paving" ? "ggo" : ids.at(l)] += c;
      }
    }
    std::set<std::string> in_json;
    for (const auto& m : s["manifestations"]) in_json.insert(m.get<std::string>());
    EXPECT_EQ(in_json, in_volume) << "slice " << k;  // every finding voxel is in the truth, and nothing else
    EXPECT_EQ(s["label"] != "normal", !in_volume.empty() && !(in_volume.size() == 1 && in_volume.count("nodule")))
        << "slice " << k;
    EXPECT_EQ(s["lung_voxels"].get<std::int64_t>(), lung);
    EXPECT_NEAR(s["involved_fraction"].get<double>(), lung ? static_cast<double>(involved) / lung : 0.0, 1e-9);
    double sum = 0;
    for (auto& [f, v] : s["fractions"].items()) sum += v.get<double>();
    EXPECT_NEAR(sum, s["involved_fraction"].get<double>(), 1e-9);
    if (in_volume.empty()) {
      EXPECT_TRUE(s["dominant_manifestation"].is_null());
    } else {
      const std::string dom = s["dominant_manifestation"];
      EXPECT_TRUE(by_class.count(dom)) << "slice " << k << " dominant " << dom;
    }
  }
}

TEST(PhantomTruth, CovidTruthMatchesTheLabelVolume) {
  checkTruthAgainstLabels(test::cachedPhantom(test::quickParams(3, Diagnosis::Covid, {}, 0.35)), "truth-covid");
}

TEST(PhantomTruth, OtherPneumoniaTruthMatchesTheLabelVolume) {
  checkTruthAgainstLabels(
      test::cachedPhantom(test::quickParams(6, Diagnosis::OtherPneumonia, {Finding::TreeInBud, Finding::Cavity}, 0.4)),
      "truth-tb");
}

TEST(PhantomTruth, CovidDominantManifestationIgnoresNonCovidFindings) {
  const Phantom& ph = test::cachedPhantom(test::quickParams(3, Diagnosis::Covid, {}, 0.35));
  std::set<Finding> dominants;
  for (const auto& s : ph.slices) {
    if (s.label != Diagnosis::Covid) continue;
    ASSERT_TRUE(s.dominant.has_value());
    EXPECT_EQ(findingDiagnosis(*s.dominant), Diagnosis::Covid);
    EXPECT_NE(*s.dominant, Finding::CrazyPaving);  // counted as GGO
    dominants.insert(*s.dominant);
  }
  EXPECT_TRUE(dominants.count(Finding::Ggo));
}

}  // namespace
}  // namespace lunglens::core::phantom
