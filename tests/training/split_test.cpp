// Subject-level 70/15/15 split: no subject in two splits (asserted when split.json is read), stratified by label,
// reproducible from the seed.
#include "core/training/split.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/common/error.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

std::vector<std::pair<std::string, std::string>> subjects(int per_label) {
  std::vector<std::pair<std::string, std::string>> out;
  const char* labels[] = {"covid", "other_pneumonia", "normal"};
  for (int i = 0; i < 3 * per_label; ++i) out.emplace_back("subject_" + std::to_string(i), labels[i % 3]);
  return out;
}

TEST(SubjectSplit, SeventyFifteenFifteenPerLabelAndDisjoint) {
  const auto list = subjects(20);  // 60 subjects, 20 per label
  const SubjectSplit split = splitSubjects(list, 42);
  EXPECT_EQ(split.train.size(), 42u);
  EXPECT_EQ(split.validation.size(), 9u);
  EXPECT_EQ(split.test.size(), 9u);
  std::map<std::string, std::string> label_of(list.begin(), list.end());
  std::map<std::string, std::map<std::string, int>> per_split;
  std::set<std::string> all;
  for (const auto& [name, ids] :
       {std::pair{"train", &split.train}, std::pair{"validation", &split.validation}, std::pair{"test", &split.test}})
    for (const auto& id : *ids) {
      EXPECT_TRUE(all.insert(id).second) << id << " is in two splits";
      ++per_split[name][label_of[id]];
      EXPECT_EQ(split.splitOf(id), name);
    }
  EXPECT_EQ(all.size(), list.size());
  for (const char* label : {"covid", "other_pneumonia", "normal"}) {
    EXPECT_EQ(per_split["train"][label], 14) << label;
    EXPECT_EQ(per_split["validation"][label] + per_split["test"][label], 6) << label;
  }
}

TEST(SubjectSplit, SameSeedSameSplitOtherSeedOther) {
  const auto list = subjects(10);
  EXPECT_EQ(splitSubjects(list, 1).train, splitSubjects(list, 1).train);
  EXPECT_NE(splitSubjects(list, 1).train, splitSubjects(list, 2).train);
}

TEST(SubjectSplit, SmallSetsStillFillEverySplit) {
  const SubjectSplit split = splitSubjects(subjects(1), 3);  // 3 subjects, one per label
  EXPECT_EQ(split.train.size(), 1u);
  EXPECT_EQ(split.validation.size(), 1u);
  EXPECT_EQ(split.test.size(), 1u);
  EXPECT_THROW(splitSubjects({}, 1), InputError);
}

TEST(SubjectSplit, JsonRoundTripAndOverlapIsRejectedAtLoad) {
  const auto dir = test::scratchDir("split");
  const SubjectSplit split = splitSubjects(subjects(5), 9);
  writeSplitJson(dir / "split.json", split);
  const SubjectSplit back = readSplitJson(dir / "split.json");
  EXPECT_EQ(back.train, split.train);
  EXPECT_EQ(back.validation, split.validation);
  EXPECT_EQ(back.test, split.test);
  EXPECT_EQ(back.seed, 9u);

  std::ofstream(dir / "leaky.json") << R"({"schema_version": 1, "seed": 1, "train": ["a", "b"],
                                           "validation": ["c"], "test": ["b"]})";
  try {
    readSplitJson(dir / "leaky.json");
    FAIL() << "a subject in train and test was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'b'"), std::string::npos) << e.what();
  }
  std::ofstream(dir / "broken.json") << R"({"schema_version": 1, "train": ["a"]})";
  EXPECT_THROW(readSplitJson(dir / "broken.json"), InputError);
  SubjectSplit bad = split;
  bad.test.push_back(bad.train.front());
  EXPECT_THROW(writeSplitJson(dir / "bad.json", bad), InputError);
}

}  // namespace
}  // namespace lunglens::core::training
