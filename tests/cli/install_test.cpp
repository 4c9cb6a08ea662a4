// The installed layout works on its own: `cmake --install` into an empty prefix gives bin/lunglens-cli and
// bin/lunglens, the demo bundles under share/lunglens/models, and the desktop entry; the installed lunglens-cli
// finds the installed models with no --model and no user data (it classifies a phantom with the demo model).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/common/test_paths.h"

namespace lunglens::test {
namespace {

namespace fs = std::filesystem;

std::string shellQuoted(const fs::path& p) { return "'" + p.string() + "'"; }

// Runs a shell command line with stdout to `out` (stderr to out.err); returns its exit status.
int run(const std::string& command, const fs::path& out) {
  const int status =
      std::system((command + " > " + shellQuoted(out) + " 2> " + shellQuoted(out.string() + ".err")).c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Install, InstalledCliFindsTheInstalledDemoModels) {
  const fs::path dir = scratchDir("install");
  const fs::path prefix = dir / "prefix", empty_data = dir / "no-user-data";
  fs::create_directories(empty_data);
  ASSERT_EQ(run(std::string(CMAKE_COMMAND) + " --install " + shellQuoted(binaryDir()) + " --prefix " + shellQuoted(prefix),
                dir / "install.log"),
            0)
      << slurp(dir / "install.log.err");
  const fs::path cli = prefix / "bin" / "lunglens-cli";
  ASSERT_TRUE(fs::exists(cli));
#ifdef LUNGLENS_WITH_UI
  EXPECT_TRUE(fs::exists(prefix / "bin" / "lunglens"));
  EXPECT_TRUE(fs::exists(prefix / "share" / "applications" / "lunglens.desktop"));
#endif
  for (const char* bundle : {"lunglens-demo-diagnosis", "lunglens-demo-manifestation"}) {
    EXPECT_TRUE(fs::exists(prefix / "share" / "lunglens" / "models" / bundle / "model.pt")) << bundle;
    EXPECT_TRUE(fs::exists(prefix / "share" / "lunglens" / "models" / bundle / "manifest.json")) << bundle;
  }

  // No models beside the installed executable and none in the (empty) user data folder: only the installed ones.
  const std::string env = "LUNGLENS_DATA_DIR=" + shellQuoted(empty_data) + " ";
  const fs::path phantom = dir / "phantom";
  ASSERT_EQ(run(env + shellQuoted(cli) + " phantom --diagnosis covid --seed 3 --slices 6 --size 128 --out " +
                    shellQuoted(phantom),
                dir / "phantom.log"),
            0)
      << slurp(dir / "phantom.log.err");
  ASSERT_EQ(run(env + shellQuoted(cli) + " classify " + shellQuoted(phantom / "dicom") + " --threads 1", dir / "classify.json"),
            0)
      << slurp(dir / "classify.json.err");
  const auto result = nlohmann::json::parse(slurp(dir / "classify.json"));
  EXPECT_EQ(result.at("diagnosis_model").at("name").get<std::string>(), "lunglens-demo-diagnosis");
  EXPECT_EQ(result.at("slices").size(), 6u);
}

}  // namespace
}  // namespace lunglens::test
