// lunglens-cli export, export-dicom and report end to end on a real CT series, with AI inputs from a tiny model
// bundle built here (run by the command itself, or by `classify` first and handed over as a predictions file).
#include <gtest/gtest.h>

#include <QImage>
#include <array>
#include <cstdio>
#include <string>

#include <unistd.h>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/export/ai_results.h"
#include "core/annotation/annotation_store.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

namespace fs = std::filesystem;
using namespace lunglens;

namespace {

const std::string kSeries = "1.3.6.1.4.1.14519.5.2.1.6655.2359.257508444832901632590301540805";

std::string studyDir() { return (test::lungPetCtDx() / "Lung_Dx-A0001").string(); }

std::string bytesOf(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::string tool(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (pipe && std::fgets(buf.data(), buf.size(), pipe)) out += buf.data();
  const int status = pipe ? pclose(pipe) : -1;
  return "status " + std::to_string(status) + "\n" + out;
}

bool hasErrorLine(const std::string& output) {
  return output.find("Error") != std::string::npos || output.find("error") != std::string::npos;
}

const fs::path& tinyBundle() {
  static const fs::path dir = [] {
    test::TinySpec spec;
    spec.variant = test::TinyVariant::Brightness;
    spec.size = 64;
    // One folder per process: ctest runs this file's tests in parallel processes, and a shared folder was
    // rewritten by one while another read it (a half-written manifest.json).
    return test::writeTinyBundle(
        test::binaryDir() / "test-scratch" / ("export-cli-bundle-" + std::to_string(::getpid())), spec);
  }();
  return dir;
}

fs::path annotationsFile(const fs::path& dir) {
  const fs::path f = dir / "annotations.json";
  std::ofstream(f) << R"({"format": "lunglens-annotations", "version": 1, "study_uid": "",
    "annotations": [{"id": 1, "kind": "length", "series_uid": "", "slice": 30, "points": [[150, 300], [260, 300]]},
                    {"id": 2, "kind": "ellipse", "series_uid": "", "slice": 30, "points": [[300, 240], [350, 280]]}],
    "bookmarks": [{"series_uid": "", "slice": 30, "note": "key"}, {"series_uid": "", "slice": 12, "note": ""}]})";
  return f;
}

}  // namespace

TEST(ExportCli, AnnotatedSliceAnonymizedByDefault) {
  const fs::path dir = test::scratchDir("export-cli-anon");
  const fs::path ann = annotationsFile(dir);
  const auto r = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--out",
                               (dir / "anon.png").string(), "--annotations", ann.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const QImage anon(QString::fromStdString((dir / "anon.png").string()));
  ASSERT_FALSE(anon.isNull());
  EXPECT_EQ(anon.width(), 512 + 232) << "1x: the 512-pixel slice plus the side panel";
  EXPECT_EQ(bytesOf(dir / "anon.png").find("Lung_Dx"), std::string::npos);

  const auto phi = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--out",
                                 (dir / "phi.png").string(), "--annotations", ann.string(), "--include-phi"});
  ASSERT_EQ(phi.exit_code, 0) << phi.err;
  const QImage shown(QString::fromStdString((dir / "phi.png").string()));
  ASSERT_EQ(shown.size(), anon.size());
  int differing = 0;
  for (int y = 0; y < anon.height(); ++y)
    for (int x = 0; x < anon.width(); ++x)
      if (anon.pixel(x, y) != shown.pixel(x, y)) {
        ++differing;
        EXPECT_TRUE(x < 0.6 * 512 + 4 && y < 150) << "pixel " << x << "," << y << " changed outside the patient block";
        if (differing > 50 && ::testing::Test::HasFailure()) return;
      }
  EXPECT_GT(differing, 100) << "the patient's name and ID are drawn only with --include-phi";
  EXPECT_EQ(bytesOf(dir / "phi.png").find("Lung_Dx"), std::string::npos) << "never in the file's metadata";

  // Sizes: 2x and a given size.
  ASSERT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--out",
                          (dir / "x2.jpg").string(), "--scale", "2"})
                .exit_code,
            0);
  EXPECT_EQ(QImage(QString::fromStdString((dir / "x2.jpg").string())).width(), 2 * 512 + 2 * 232);
  ASSERT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--out",
                          (dir / "given.png").string(), "--size", "1000x640"})
                .exit_code,
            0);
  EXPECT_EQ(QImage(QString::fromStdString((dir / "given.png").string())).size(), QSize(1000, 640));
}

TEST(ExportCli, NeverOverwritesAndFailsCleanly) {
  const fs::path dir = test::scratchDir("export-cli-fail");
  const std::string target = (dir / "a.png").string();
  ASSERT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "3", "--out", target}).exit_code, 0);
  const std::string before = bytesOf(target);
  const auto again = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "4", "--out", target});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("not overwriting"), std::string::npos) << again.err;
  EXPECT_EQ(bytesOf(target), before);
  EXPECT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "4", "--out", target, "--overwrite"})
                .exit_code,
            0);
  EXPECT_NE(bytesOf(target), before);

  std::ofstream(dir / "file") << "x";  // an unwritable place even for root: under a regular file
  const auto blocked =
      test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "3", "--out", (dir / "file" / "b.png").string()});
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_NE(blocked.err.find("b.png"), std::string::npos) << blocked.err;
  EXPECT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "64", "--out", target}).exit_code, 1);
  EXPECT_EQ(test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "x", "--out", target}).exit_code, 2);
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_TRUE(e.path().filename() == "a.png" || e.path().filename() == "file") << e.path();
  }
}

// A read-only filesystem and a full disk, each in a private mount namespace (root only; skipped elsewhere): the
// export fails with a clear message and leaves nothing behind.
TEST(ExportCli, ReadOnlyFilesystemAndFullDiskLeaveNoFile) {
  const fs::path dir = test::scratchDir("export-cli-mounts");
  fs::create_directories(dir / "ro");
  fs::create_directories(dir / "full");
  const std::string cli = LUNGLENS_CLI;
  const std::string exportTo = cli + " export '" + studyDir() + "' --series " + kSeries + " --slice 30 --out ";
  const std::string script =
      "mount --bind '" + (dir / "ro").string() + "' '" + (dir / "ro").string() + "' && mount -o remount,bind,ro '" +
      (dir / "ro").string() + "' && mount -t tmpfs -o size=64k tmpfs '" + (dir / "full").string() +
      "' || exit 99; " + exportTo + "'" + (dir / "ro" / "a.png").string() + "'; echo ro-exit=\\$?; " + exportTo +
      "'" + (dir / "full" / "a.png").string() + "'; echo full-exit=\\$?; echo listing; ls -A '" +
      (dir / "ro").string() + "' '" + (dir / "full").string() + "'";
  const std::string out = tool("unshare -m sh -c \"" + script + "\"");
  if (out.rfind("status 0", 0) != 0 || out.find("listing") == std::string::npos) {
    GTEST_SKIP() << "cannot make private mounts here (needs root and unshare): " << out;
  }
  EXPECT_NE(out.find("ro-exit=1"), std::string::npos) << out;
  EXPECT_NE(out.find("full-exit=1"), std::string::npos) << out;
  EXPECT_NE(out.find("cannot write here"), std::string::npos) << out;
  EXPECT_NE(out.find("disk full"), std::string::npos) << out;
  const std::string listing = out.substr(out.find("listing"));
  EXPECT_EQ(listing.find(".png"), std::string::npos) << "a partial or temporary file was left: " << listing;
  EXPECT_EQ(listing.find(".tmp"), std::string::npos) << listing;
}

TEST(ExportCli, BatchOfBookmarkedSlices) {
  const fs::path dir = test::scratchDir("export-cli-bookmarks");
  const auto r = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "bookmarks", "--annotations",
                               annotationsFile(dir).string(), "--out", (dir / "out").string(), "--scale", "0.5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "im-052.png"));  // index 12 is DICOM image 52 (docs/NUMBERING.md)
  EXPECT_TRUE(fs::exists(dir / "out" / "im-034.png"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 2);
}

TEST(ExportCli, AnnotationsTheViewerSavedForTheStudy) {
  const fs::path dir = test::scratchDir("export-cli-saved");
  ::setenv("LUNGLENS_DATA_DIR", (dir / "userdata").c_str(), 1);  // inherited by the CLI
  core::annotation::StudyAnnotations saved;
  saved.study_uid = "1.3.6.1.4.1.14519.5.2.1.6655.2359.165554066086145834377508507990";
  saved.annotations.push_back({1, core::annotation::AnnotationKind::Length, kSeries, 7, "", {{10, 10}, {100, 10}}, ""});
  saved.bookmarks.push_back({kSeries, 7, "", "from the viewer"});
  saved.bookmarks.push_back({"1.2.3.other.series", 9, "", "another series: ignored"});
  core::annotation::AnnotationStore(dir / "userdata" / "annotations").save(saved);
  const auto r = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "bookmarks", "--annotations",
                               "saved", "--out", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "out" / "im-057.png"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "out"), fs::directory_iterator()), 1);
}

TEST(ExportCli, HeatmapAndScoresFromTheModelOrFromClassify) {
  const fs::path dir = test::scratchDir("export-cli-ai");
  // The command runs the model itself.
  const auto direct = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--heatmap",
                                    "--model", tinyBundle().string(), "--out", (dir / "direct.png").string()});
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  const auto plain =
      test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--out", (dir / "plain.png").string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const QImage a(QString::fromStdString((dir / "direct.png").string()));
  const QImage b(QString::fromStdString((dir / "plain.png").string()));
  ASSERT_EQ(a.width(), b.width());
  int panelDiff = 0;
  for (int y = 0; y < std::min(a.height(), b.height()); ++y)
    for (int x = 512; x < a.width(); ++x) panelDiff += a.pixel(x, y) != b.pixel(x, y);
  EXPECT_GT(panelDiff, 1000) << "scores box drawn in the panel";
  EXPECT_GE(a.height(), b.height());

  // classify first, then export from its predictions and heatmaps: every flagged slice, with its heatmap.
  const fs::path maps = dir / "maps";
  const auto classify = test::runCli({"classify", studyDir(), "--series", kSeries, "--model", tinyBundle().string(),
                                      "--heatmaps", maps.string()});
  ASSERT_EQ(classify.exit_code, 0) << classify.err;
  std::ofstream(dir / "predictions.json") << classify.out;
  const auto json = nlohmann::json::parse(classify.out);
  int flagged = 0;
  for (const auto& s : json["slices"]) {
    const auto& d = s["diagnosis"];
    const double normal = d["normal"].get<double>();
    flagged += (d["covid"].get<double>() > normal || d["other_pneumonia"].get<double>() > normal) ? 1 : 0;
  }
  const auto fromFile = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "29,30", "--heatmap",
                                      "--predictions", (dir / "predictions.json").string(), "--heatmaps",
                                      maps.string(), "--out", (dir / "fromfile").string()});
  ASSERT_EQ(fromFile.exit_code, 0) << fromFile.err;
  const QImage c(QString::fromStdString((dir / "fromfile" / "im-034.png").string()));
  ASSERT_EQ(c.size(), a.size()) << "the same composition from the predictions file as from the model";
  // Issue 18: scores from a predictions file and a heatmap from the model explain only the slice drawn (it re-scored
  // the whole series before); the map on the slice is the one the model run draws.
  const auto oneMap = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "30", "--heatmap",
                                    "--model", tinyBundle().string(), "--predictions",
                                    (dir / "predictions.json").string(), "--out", (dir / "onemap.png").string()});
  ASSERT_EQ(oneMap.exit_code, 0) << oneMap.err;
  EXPECT_EQ(oneMap.err.find("scoring"), std::string::npos) << oneMap.err;
  EXPECT_NE(oneMap.err.find("Grad-CAM of 1 slice"), std::string::npos) << oneMap.err;
  const QImage d(QString::fromStdString((dir / "onemap.png").string()));
  ASSERT_EQ(d.size(), a.size());
  int sliceDiff = 0;
  for (int y = 0; y < 512; ++y)
    for (int x = 0; x < 512; ++x) sliceDiff += a.pixel(x, y) != d.pixel(x, y);
  EXPECT_EQ(sliceDiff, 0) << "the same heatmap on the slice as when the command scores the series";
  const auto suspicious = test::runCli({"export", studyDir(), "--series", kSeries, "--slice", "suspicious",
                                        "--predictions", (dir / "predictions.json").string(), "--out",
                                        (dir / "suspicious").string(), "--scale", "0.5"});
  if (flagged == 0) {
    EXPECT_EQ(suspicious.exit_code, 1) << "no flagged slice is a clear error";
    EXPECT_NE(suspicious.err.find("flagged no slice"), std::string::npos) << suspicious.err;
  } else {
    ASSERT_EQ(suspicious.exit_code, 0) << suspicious.err;
    EXPECT_EQ(std::distance(fs::directory_iterator(dir / "suspicious"), fs::directory_iterator()), flagged);
  }
}

TEST(ExportCli, DicomSecondaryCaptureAndSrPassValidators) {
  const fs::path dir = test::scratchDir("export-cli-dicom");
  const auto r = test::runCli({"export-dicom", studyDir(), "--series", kSeries, "--slice", "30,31", "--sr",
                               "--model", tinyBundle().string(), "--annotations", annotationsFile(dir).string(),
                               "--out", (dir / "dicom").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* sc : {"sc-030.dcm", "sc-031.dcm"}) {
    const std::string v = tool("dciodvfy '" + (dir / "dicom" / sc).string() + "'");
    EXPECT_EQ(v.rfind("status 0", 0), 0u) << v;
    EXPECT_FALSE(hasErrorLine(v)) << v;
  }
  const fs::path sr = dir / "dicom" / "ai-results-sr.dcm";
  const std::string v = tool("dciodvfy '" + sr.string() + "'");
  EXPECT_EQ(v.rfind("status 0", 0), 0u) << v;
  EXPECT_FALSE(hasErrorLine(v)) << v;
  const std::string dump = tool("dsrdump +Pl '" + sr.string() + "'");
  EXPECT_EQ(dump.rfind("status 0", 0), 0u) << dump;
  EXPECT_FALSE(hasErrorLine(dump)) << dump;
  EXPECT_NE(dump.find("tiny-diagnosis"), std::string::npos) << dump;
  // Issue 12: the lung analysis of the series, in UCUM units.
  for (const char* want : {"Lung analysis", "Total lung volume", "(ml,UCUM", "CT severity score (0-24)", "{score}"})
    EXPECT_NE(dump.find(want), std::string::npos) << want << " missing in\n" << dump;
  EXPECT_EQ(test::runCli({"export-dicom", studyDir(), "--out", (dir / "none").string()}).exit_code, 2);
}

TEST(ExportCli, StudyReportFromPredictions) {
  const fs::path dir = test::scratchDir("export-cli-report");
  const auto r = test::runCli({"report", studyDir(), "--series", kSeries, "--model", tinyBundle().string(),
                               "--out", (dir / "report").string(), "--key-slices", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = bytesOf(dir / "report" / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("not for diagnostic use"), std::string::npos);
  EXPECT_EQ(html.find("Lung_Dx-A0001"), std::string::npos) << "no patient identity without --include-phi";
  const std::string csv = bytesOf(dir / "report" / "scores.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 65) << "header + 64 slices";
  const auto json = nlohmann::json::parse(bytesOf(dir / "report" / "report.json"));
  EXPECT_EQ(json["series_uid"], kSeries);
  // Issue 12: the lung analysis of the series, in the JSON and the HTML.
  ASSERT_TRUE(json.contains("lung")) << r.err;
  EXPECT_GT(json["lung"]["both"]["volume_ml"].get<double>(), 500);
  EXPECT_EQ(json["lung"]["zones"].size(), 6u);
  EXPECT_NE(html.find("<h2>Lung analysis</h2>"), std::string::npos);
  std::size_t images = 0;
  for (std::size_t at = 0; (at = html.find("data:image/png;base64,", at)) != std::string::npos; ++at) ++images;
  EXPECT_EQ(images, std::min<std::size_t>(3, json["flagged_slices"].size()));

  // From a predictions file with five flagged slices: the three most suspicious become key images.
  core::exporting::AiResults given;
  given.series_uid = kSeries;
  given.model = {"given", "1", "test", true};
  given.classes = {"covid", "other_pneumonia", "normal"};
  for (int i = 0; i < 64; ++i) {
    const double covid = (i >= 28 && i <= 32) ? 0.6 + 0.05 * (i == 30) + 0.04 * (i == 31) + 0.03 * (i == 28) : 0.1;
    given.slices.push_back({i, "", {covid, 0.05, 0.95 - covid}, {}});
  }
  std::ofstream(dir / "given.json") << core::exporting::toJson(given).dump();
  const auto fromFile = test::runCli({"report", studyDir(), "--series", kSeries, "--predictions",
                                      (dir / "given.json").string(), "--out", (dir / "given").string(),
                                      "--key-slices", "3"});
  ASSERT_EQ(fromFile.exit_code, 0) << fromFile.err;
  const std::string page = bytesOf(dir / "given" / "report.html");
  for (const char* caption : {"Index 28 (slice 29 / 64)", "Index 30 (slice 31 / 64)", "Index 31 (slice 32 / 64)"}) {
    EXPECT_NE(page.find(caption), std::string::npos) << caption;
  }
  EXPECT_EQ(page.find("Index 29 ("), std::string::npos);
  images = 0;
  for (std::size_t at = 0; (at = page.find("data:image/png;base64,", at)) != std::string::npos; ++at) ++images;
  EXPECT_EQ(images, 3u);
}
