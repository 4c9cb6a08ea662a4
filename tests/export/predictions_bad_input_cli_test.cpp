// `export` and `report` handed predictions files that are not what they claim (issue 18): a number beyond a
// double, "synthetic": "yes", JSON nested 200,000 deep, a FIFO. Each is exit 1 with the file named, never exit 3.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>

#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

const std::string kSeries = "1.3.6.1.4.1.14519.5.2.1.6655.2359.257508444832901632590301540805";
std::string studyDir() { return (test::lungPetCtDx() / "Lung_Dx-A0001").string(); }

// classify's JSON output for two slices, with `model_extra` inside diagnosis_model.provenance and `p` as the
// first slice's covid probability (text, so that it can be 1e400).
std::string classifyJson(const std::string& synthetic, const std::string& p) {
  return R"({"series_uid": ")" + kSeries + R"(", "study_uid": "", "disclaimer": "x",
    "diagnosis_model": {"name": "m", "version": "1", "provenance": {"training_data": "t", "synthetic": )" + synthetic +
         R"(, "date": "2026-01-01"}},
    "manifestation_model": null, "study": {"verdict": "normal"},
    "slices": [{"index": 0, "diagnosis": {"covid": )" + p + R"(, "other_pneumonia": 0.1, "normal": 0.8}, "manifestation": null},
               {"index": 1, "diagnosis": {"covid": 0.1, "other_pneumonia": 0.1, "normal": 0.8}, "manifestation": null}]})";
}

void expectExit1(const std::vector<std::string>& args, const std::string& file) {
  const auto r = test::runCli(args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
}

}  // namespace

TEST(PredictionsBadInputCli, ExportAndReportRefuseBadPredictionsWithExit1) {
  if (!fs::exists(studyDir())) GTEST_SKIP() << "shared data missing";
  const fs::path dir = test::scratchDir("bad-predictions");
  const std::map<std::string, std::string> files = {
      {"huge-number.json", classifyJson("true", "1e400")},
      {"synthetic-yes.json", classifyJson("\"yes\"", "0.1")},
      {"deep.json", "{\"slices\": " + std::string(200000, '[') + std::string(200000, ']') + "}"},
      {"results-1e400.json", R"({"format": "lunglens-ai-results", "version": 1, "classes": ["covid", "normal"],
          "slices": [{"index": 0, "probabilities": [1e400, 0.5]}]})"},
  };
  for (const auto& [name, text] : files) {
    const fs::path file = dir / name;
    std::ofstream(file) << text;
    SCOPED_TRACE(name);
    expectExit1({"export", studyDir(), "--series", kSeries, "--slice", "0", "--predictions", file.string(), "--out",
                 (dir / ("export-" + name)).string()},
                file.string());
    expectExit1({"report", studyDir(), "--series", kSeries, "--predictions", file.string(), "--out",
                 (dir / ("report-" + name)).string()},
                file.string());
  }
  const fs::path fifo = dir / "fifo.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expectExit1({"report", studyDir(), "--series", kSeries, "--predictions", fifo.string(), "--out",
               (dir / "report-fifo").string()},
              "not a regular file");
}
