#include <gtest/gtest.h>

#include <cctype>

#include "core/common/error.h"
#include "core/phantom/dicom_writer.h"
#include "core/phantom/generator.h"
#include "core/phantom/uid.h"
#include "tests/phantom/phantom_fixtures.h"

namespace lunglens::core::phantom {
namespace {

using test::quickParams;

TEST(PhantomDeterminism, SameSeedGivesIdenticalPixelsWithAnyThreadCount) {
  PhantomParams p = quickParams(42, Diagnosis::Covid);
  p.slices = 24;
  p.threads = 1;
  const Phantom one = generatePhantom(p);
  p.threads = 2;
  const Phantom two = generatePhantom(p);
  p.threads = 5;
  const Phantom five = generatePhantom(p);
  EXPECT_EQ(pixelDigest(*one.volume), pixelDigest(*two.volume));
  EXPECT_EQ(pixelDigest(*one.volume), pixelDigest(*five.volume));
  EXPECT_EQ(one.labels, two.labels);
  EXPECT_EQ(one.labels, five.labels);
}

TEST(PhantomDeterminism, DifferentSeedsGiveDifferentAnatomy) {
  const Phantom& a = test::cachedPhantom(quickParams(1, Diagnosis::Normal));
  const Phantom& b = test::cachedPhantom(quickParams(2, Diagnosis::Normal));
  EXPECT_NE(pixelDigest(*a.volume), pixelDigest(*b.volume));
  EXPECT_NE(a.subject.body_width_mm, b.subject.body_width_mm);
  EXPECT_NE(a.subject.lung_height_mm, b.subject.lung_height_mm);
  std::int64_t lung_a = 0, lung_b = 0;
  for (const auto& s : a.slices) lung_a += s.lung_voxels;
  for (const auto& s : b.slices) lung_b += s.lung_voxels;
  EXPECT_GT(lung_a, 0);
  EXPECT_NE(lung_a, lung_b);
}

TEST(PhantomDeterminism, UidsAreDerivedFromSeedAndParameters) {
  const Phantom& a = test::cachedPhantom(quickParams(1, Diagnosis::Normal));
  const Phantom& b = test::cachedPhantom(quickParams(2, Diagnosis::Normal));
  const SeriesIds ia = seriesIds(a), ia2 = seriesIds(a), ib = seriesIds(b);
  EXPECT_EQ(ia.series_uid, ia2.series_uid);
  EXPECT_NE(ia.series_uid, ib.series_uid);
  EXPECT_NE(ia.study_uid, ia.series_uid);
  for (const std::string& uid : {ia.study_uid, ia.series_uid, ia.frame_of_reference_uid, derivedUid("x")}) {
    EXPECT_EQ(uid.rfind("2.25.", 0), 0u) << uid;
    EXPECT_LE(uid.size(), 64u);
    const std::string digits = uid.substr(5);
    EXPECT_NE(digits[0], '0');
    for (char c : digits) EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(c))) << uid;
  }
  EXPECT_EQ(ia.patient_name.rfind("PHANTOM^", 0), 0u);
}

TEST(PhantomParams, BadParametersAreInputErrors) {
  PhantomParams p = quickParams(1, Diagnosis::Covid);
  p.severity = 1.5;
  EXPECT_THROW(generatePhantom(p), InputError);
  p = quickParams(1, Diagnosis::Covid, {Finding::TreeInBud});
  EXPECT_THROW(generatePhantom(p), InputError);  // a TB finding in a COVID phantom
  p = quickParams(1, Diagnosis::Covid);
  p.size = 8;
  EXPECT_THROW(generatePhantom(p), InputError);
  EXPECT_THROW(parseFinding("ggo_typo"), InputError);
  EXPECT_THROW(parseDiagnosis("flu"), InputError);
  EXPECT_EQ(parseFinding("crazy_paving"), Finding::CrazyPaving);
}

}  // namespace
}  // namespace lunglens::core::phantom
