// The slice's top class and "called normal": one tie rule (core/inference/slice_class.h), and the rule's text.
#include <gtest/gtest.h>

#include "core/inference/slice_class.h"
#include "core/inference/verdict.h"

namespace lunglens::core::inference {
namespace {

const std::vector<std::string> kClasses = {"covid", "other_pneumonia", "normal"};

TEST(SliceClass, TopClassWithTheTieRule) {
  EXPECT_EQ(topClass(std::vector<float>{0.7f, 0.2f, 0.1f}, kClasses), "covid");
  EXPECT_EQ(topClass(std::vector<float>{0.1f, 0.2f, 0.7f}, kClasses), "normal");
  // A tie with normal is not a finding, wherever normal is listed.
  EXPECT_EQ(topClass(std::vector<float>{0.4f, 0.2f, 0.4f}, kClasses), "normal");
  EXPECT_EQ(topClass(std::vector<double>{0.4, 0.4, 0.2}, {"normal", "covid", "other_pneumonia"}), "normal");
  EXPECT_TRUE(calledNormal(std::vector<float>{0.4f, 0.2f, 0.4f}, kClasses));
  // Between findings: the one listed first.
  EXPECT_EQ(topClassIndex(std::vector<float>{0.45f, 0.45f, 0.1f}, kClasses), 0);
  EXPECT_FALSE(calledNormal(std::vector<float>{0.45f, 0.45f, 0.1f}, kClasses));
  // Nothing to rank.
  EXPECT_EQ(topClassIndex(std::vector<float>{}, kClasses), -1);
  EXPECT_EQ(topClassIndex(std::vector<float>{0.5f, 0.5f}, kClasses), -1);
  EXPECT_FALSE(calledNormal(std::vector<float>{}, kClasses));
}

TEST(SliceClass, NamedProbabilitiesFollowTheSameRule) {
  EXPECT_EQ(topClass(std::map<std::string, double>{{"covid", 0.4}, {"normal", 0.4}, {"other_pneumonia", 0.2}}),
            "normal");
  EXPECT_EQ(topClass(std::map<std::string, double>{{"covid", 0.3}, {"normal", 0.2}, {"other_pneumonia", 0.5}}),
            "other_pneumonia");
  EXPECT_EQ(topClass(std::map<std::string, double>{}), "");
  EXPECT_TRUE(calledNormal(std::map<std::string, double>{{"covid", 0.5}, {"normal", 0.5}}));
}

TEST(VerdictRuleText, ComesFromTheRule) {
  EXPECT_EQ(verdictRuleText(),
            "per class: mean of the top-k slice probabilities (k = ceil(10% of slices)); verdict = the disease class "
            "whose score passes its threshold with the highest score, else normal");
  VerdictRule rule;
  rule.top_fraction = 0.25;
  EXPECT_NE(verdictRuleText(rule).find("ceil(25% of slices)"), std::string::npos);
}

}  // namespace
}  // namespace lunglens::core::inference
