// lunglens-cli pacs end to end against the same Orthanc: echo, find, get, and send of what export-dicom writes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <nlohmann/json.hpp>

#include "core/export/ai_results.h"
#include "core/pacs/node.h"
#include "tests/cli/cli_runner.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;

namespace {

std::string dimseSpec() {
  return orthanc().aet() + "@127.0.0.1:" + std::to_string(orthanc().dicomPort());
}
std::string webUrl() { return orthanc().node().dicomweb_url; }

struct PasswordInEnvironment {
  PasswordInEnvironment() { ::setenv("LUNGLENS_PACS_PASSWORD", orthanc().credentials().password.c_str(), 1); }
  ~PasswordInEnvironment() { ::unsetenv("LUNGLENS_PACS_PASSWORD"); }
};

}  // namespace

TEST(PacsCli, EchoFindAndGetOverDimse) {
  auto r = runCli({"pacs", "echo", dimseSpec()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("answers (DIMSE)"), std::string::npos) << r.out;

  r = runCli({"pacs", "find", dimseSpec(), "--patient-id", "Lung_Dx-A0002", "--series-level", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["instances"], 30);

  const auto& s = sharedSeries("Lung_Dx-A0002", 2);
  const fs::path out = pacsScratch("cli-get") / "series";
  r = runCli({"pacs", "get", dimseSpec(), "--study", s.study_uid, "--series", s.series_uid, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("retrieved 30 files"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("received 30 of 30"), std::string::npos) << r.err;
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 30);
}

TEST(PacsCli, FindByDateOverDicomWebWithANodesFile) {
  const fs::path dir = pacsScratch("cli-nodes");
  core::pacs::Node n = orthanc().node();
  n.name = "lab";
  core::pacs::writeNodesFile(dir / "nodes.json", {n});
  PasswordInEnvironment pw;
  const auto r = runCli({"pacs", "find", "lab", "--nodes", (dir / "nodes.json").string(), "--web", "--from",
                         "20070420", "--to", "20070430", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::json::parse(r.out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["patient_id"], "Lung_Dx-A0002");
}

TEST(PacsCli, ExportDicomOutputSentAndFoundThere) {
  const auto& s = sharedSeries("Lung_Dx-A0002", 3);
  const fs::path dir = pacsScratch("cli-send");
  // AI results as `classify` would have produced them, so export-dicom can write its SR.
  core::exporting::AiResults ai;
  ai.study_uid = s.study_uid;
  ai.series_uid = s.series_uid;
  ai.model = {"LungLens test classifier", "0.0.1", "PACS CLI test, not a real model", true};
  ai.classes = {"covid", "pneumonia", "normal"};
  for (int i = 0; i < static_cast<int>(s.slices.size()); ++i) {
    ai.slices.push_back({i, s.slices[i].sop_instance_uid, {0.1, 0.2, 0.7}, {}});
  }
  std::ofstream(dir / "predictions.json") << core::exporting::toJson(ai).dump();
  const fs::path seriesDir = fs::path(s.slices[0].path).parent_path();
  auto r = runCli({"export-dicom", seriesDir.string(), "--slice", "5", "--sr", "--predictions",
                   (dir / "predictions.json").string(), "--out", (dir / "export").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  PasswordInEnvironment pw;
  r = runCli({"pacs", "send", webUrl(), (dir / "export").string(), "--user", "lunglens"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sent 2 files"), std::string::npos) << r.out;

  r = runCli({"pacs", "find", dimseSpec(), "--study", s.study_uid, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> modalities;
  for (const auto& m : nlohmann::json::parse(r.out)) modalities.insert(m["modality"].get<std::string>());
  EXPECT_TRUE(modalities.count("SR") && modalities.count("OT") && modalities.count("CT")) << r.out;
}

TEST(PacsCli, ClearErrorsAndExitCodes) {
  auto r = runCli({"pacs", "echo", "WRONG@127.0.0.1:" + std::to_string(orthanc().dicomPort())});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rejected the association"), std::string::npos) << r.err;

  ::setenv("LUNGLENS_PACS_PASSWORD", "wrong-password-77", 1);
  r = runCli({"pacs", "find", webUrl(), "--user", "lunglens"});
  ::unsetenv("LUNGLENS_PACS_PASSWORD");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("wrong-password-77"), std::string::npos) << r.err;

  r = runCli({"pacs", "find", webUrl(), "--user", "lunglens"});  // no password in the environment
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("LUNGLENS_PACS_PASSWORD"), std::string::npos) << r.err;
}
