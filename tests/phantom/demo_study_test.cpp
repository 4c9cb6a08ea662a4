#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/phantom/demo_study.h"
#include "core/phantom/study_writer.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::phantom {
namespace {

TEST(PhantomDemo, GeneratedOnceReusedAndRegeneratedWhenStale) {
  const auto data = test::scratchDir("phantom-demo");
  ::setenv("LUNGLENS_DATA_DIR", data.c_str(), 1);
  const auto dir = ensureDemoStudy();
  EXPECT_EQ(dir.parent_path().parent_path(), data);
  ASSERT_TRUE(std::filesystem::exists(dir / kTruthFile));
  ASSERT_TRUE(std::filesystem::exists(dir / kLabelsFile));
  std::ifstream in(dir / kTruthFile);
  const auto truth = nlohmann::json::parse(in);
  EXPECT_EQ(truth["study"]["diagnosis"], "covid");
  const std::vector<std::string> all{"ggo", "consolidation", "fibrotic_streaks"};
  EXPECT_EQ(truth["study"]["findings"].get<std::vector<std::string>>(), all);
  const auto first = dir / kSeriesFolder / "slice_0000.dcm";
  const auto stamp = std::filesystem::last_write_time(first);

  EXPECT_EQ(ensureDemoStudy(), dir);  // reused, not rewritten
  EXPECT_EQ(std::filesystem::last_write_time(first), stamp);

  std::ofstream(dir / "generator.stamp") << "made by an older generator\n";
  EXPECT_EQ(ensureDemoStudy(), dir);  // stale: made again
  EXPECT_TRUE(std::filesystem::exists(first));
  std::ifstream st(dir / "generator.stamp");
  std::string line;
  std::getline(st, line);
  EXPECT_EQ(line, demoParams().canonical());
  for (const auto& e : std::filesystem::directory_iterator(dir.parent_path()))
    EXPECT_EQ(e.path().filename().string().rfind(".tmp", 0), std::string::npos) << "leftover " << e.path();
}

}  // namespace
}  // namespace lunglens::core::phantom
