// lunglens-cli classify against bad model bundles and text that could break its CSV (issue 18): each is a clear
// exit 1 or a well-formed table, never a crash (exit 139), a hang, exit 3 or a verdict from NaN scores.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/inference/manifest.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

const std::string kSeries = "1.3.6.1.4.1.14519.5.2.1.6655.2359.241981550240354690198744362919";

fs::path seriesDir() { return test::lungPetCtDx() / "Lung_Dx-A0002"; }

test::TinySpec tinySpec() {
  test::TinySpec spec;
  spec.variant = test::TinyVariant::Brightness;
  spec.size = 32;
  return spec;
}

fs::path bundleWith(const std::string& name, const std::function<void(core::inference::Manifest&)>& edit) {
  auto manifest = test::tinyManifest(tinySpec());
  edit(manifest);
  return test::writeTinyBundle(test::scratchDir("bad-" + name) / "bundle", tinySpec(), manifest);
}

void replaceManifestText(const fs::path& bundle, const std::function<void(std::string&)>& edit) {
  std::ifstream in(bundle / "manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  edit(s);
  std::ofstream(bundle / "manifest.json", std::ios::trunc) << s;
}

test::CliResult classify(const fs::path& bundle, const std::string& format = "json") {
  return test::runCli({"classify", seriesDir().string(), "--series", kSeries, "--model", bundle.string(), "--format",
                       format, "--threads", "2"});
}

}  // namespace

TEST(ClassifyBadInputCli, ManifestNested200000DeepIsExit1NotACrash) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path bundle = bundleWith("deep", [](core::inference::Manifest&) {});
  replaceManifestText(bundle, [](std::string& s) {
    s.insert(s.rfind('}'), ",\"extra\": " + std::string(200000, '[') + std::string(200000, ']'));
  });
  const auto r = classify(bundle);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("nested deeper than"), std::string::npos) << r.err;
}

TEST(ClassifyBadInputCli, NumberBeyondADoubleIsExit1) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path bundle = bundleWith("1e400", [](core::inference::Manifest&) {});
  replaceManifestText(bundle, [](std::string& s) { s.replace(s.find("\"covid\": 0.5"), 12, "\"covid\": 1e400"); });
  const auto r = classify(bundle);
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST(ClassifyBadInputCli, NormalisationThatMakesEveryScoreNaNIsExit1NotNormal) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path bundle = bundleWith("nan", [](core::inference::Manifest& m) {
    m.input.std = {1e-308};
    m.input.mean = {-1e308};
  });
  const auto r = classify(bundle);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.find("\"verdict\""), std::string::npos) << r.out;
}

TEST(ClassifyBadInputCli, HugeInputAndAFifoManifestAreRefusedAtOnce) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  const fs::path huge = bundleWith("huge", [](core::inference::Manifest& m) { m.input.height = m.input.width = 4096; });
  const auto r = classify(huge);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("input.height"), std::string::npos) << r.err;

  const fs::path fifo = test::scratchDir("fifo-bundle");
  ASSERT_EQ(::mkfifo((fifo / "manifest.json").c_str(), 0600), 0);
  const auto f = classify(fifo);  // before: blocked for ever in open()
  EXPECT_EQ(f.exit_code, 1) << f.err;
  EXPECT_NE(f.err.find("not a regular file"), std::string::npos) << f.err;
}

TEST(ClassifyBadInputCli, AModelNameWithALineBreakCannotAddACsvRow) {
  if (!fs::exists(seriesDir())) GTEST_SKIP() << "shared data missing";
  // Three slices of the series are enough to see the table's rows (and keep the test short).
  const fs::path slices = test::scratchDir("csv-slices");
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(seriesDir()))
    if (e.path().extension() == ".dcm" && e.path().parent_path().filename().string().find("B70f") != std::string::npos)
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u);
  for (int i = 0; i < 3; ++i) fs::copy_file(files[static_cast<std::size_t>(i)], slices / files[static_cast<std::size_t>(i)].filename());
  const fs::path bundle = bundleWith("csv", [](core::inference::Manifest& m) {
    m.name = "tiny\n999,0,1,0,0,null,null,null";
    m.provenance.training_data = "phantoms\r\n=HYPERLINK(\"http://x\")";
  });
  const auto r = test::runCli({"classify", slices.string(), "--model", bundle.string(), "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int data_rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("index,", 0) == 0) continue;
    EXPECT_NE(line.rfind("999,", 0), 0u) << "an injected row: " << line;
    EXPECT_EQ(line.find('='), std::string::npos) << line;
    ++data_rows;
  }
  EXPECT_EQ(data_rows, 3) << r.out;
}
