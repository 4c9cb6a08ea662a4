// lunglens-cli series / render as a user runs them: output, exit codes, and the PNG's pixels and orientation.
#include <gdcmDataSet.h>
#include <gtest/gtest.h>

#include <QImage>
#include <nlohmann/json.hpp>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/volume/window.h"
#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"
#include "tests/dicom/enhanced_ct.h"

namespace fs = std::filesystem;
using namespace lunglens;

TEST(SeriesCommand, ListsEverySeriesAndSkippedFileAsJson) {
  const auto r = test::runCli({"series", test::lungPetCtDx().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["series"].size(), 4u);
  for (const auto& s : j["series"]) {
    for (const char* key : {"series_uid", "study_uid", "modality", "description", "slices", "rows", "cols", "spacing",
                            "warnings"}) {
      EXPECT_TRUE(s.contains(key)) << key;
    }
    EXPECT_EQ(s["spacing"].size(), 3u);
    EXPECT_EQ(s["modality"], "CT");
  }
  EXPECT_EQ(j["series"][0]["slices"], 64);
  EXPECT_NEAR(j["series"][0]["spacing"][0].get<double>(), 0.841796875, 1e-9);
  EXPECT_NEAR(j["series"][0]["spacing"][2].get<double>(), 5.0, 1e-9);
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_NE(j["skipped"][0]["reason"].get<std::string>().find("not a DICOM file"), std::string::npos);
}

TEST(SeriesCommand, TextOutputAndNoSeriesExitCode) {
  const auto text = test::runCli({"series", test::lungB40fFolder().string()});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("1 image series, 0 file(s) skipped"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("30 slices of 512x512"), std::string::npos) << text.out;

  const fs::path dir = test::scratchDir("cli-no-series");
  fs::copy_file(test::pydicomTestFiles() / "rtplan.dcm", dir / "rtplan.dcm");
  const auto none = test::runCli({"series", dir.string(), "--json"});
  EXPECT_EQ(none.exit_code, 1);
  const auto j = nlohmann::json::parse(none.out);
  EXPECT_TRUE(j["series"].empty());
  EXPECT_EQ(j["skipped"][0]["reason"], "RT Plan: no image");
  EXPECT_EQ(test::runCli({"series"}).exit_code, 2);
  EXPECT_EQ(test::runCli({"series", (dir / "missing").string()}).exit_code, 1);
}

TEST(RenderCommand, WritesTheWindowedSliceAtNativeResolution) {
  const fs::path folder = test::lungB40fFolder();
  const fs::path out = test::scratchDir("cli-render") / "slice.png";
  const auto r = test::runCli({"render", folder.string(), "--slice", "12", "--window", "lung", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  QImage png(QString::fromStdString(out.string()));
  ASSERT_FALSE(png.isNull());
  EXPECT_EQ(png.width(), 512);
  EXPECT_EQ(png.height(), 512);
  EXPECT_TRUE(png.isGrayscale());
  const auto catalog = core::dicom::scan(folder);
  const auto hu = core::dicom::loadSlice(catalog.series[0], 12);
  const auto window = core::volume::lungWindow();
  for (int y = 0; y < 512; y += 7) {
    for (int x = 0; x < 512; x += 5) {
      ASSERT_EQ(qGray(png.pixel(x, y)), core::volume::windowToGrey(hu[static_cast<std::size_t>(y) * 512 + x], window))
          << x << "," << y;
    }
  }
}

TEST(RenderCommand, MirrorsASeriesWhoseRowsRunTowardThePatientsRight) {
  // The same pixels, but the files say rows run toward the patient's right (-X): the PNG must be mirrored so the
  // patient's left still lands on the image's right.
  const fs::path dir = test::scratchDir("cli-render-flip");
  auto files = test::filesByZ(test::lungB40fFolder());
  files.resize(3);
  for (const auto& f : test::copyAs(files, dir)) {
    test::editDicom(f, [](gdcm::DataSet& ds) { test::setText(ds, 0x0020, 0x0037, "-1\\0\\0\\0\\1\\0"); });
  }
  const fs::path normal = dir / "normal.png", flipped = dir / "flipped.png";
  ASSERT_EQ(test::runCli({"render", test::lungB40fFolder().string(), "--slice", "1", "--window", "400,40", "--out",
                          normal.string()}).exit_code, 0);
  // Slice 1 of the edited copy: with -X rows the normal flips (-Z), so index 1 is still the middle of three.
  const auto r = test::runCli({"render", dir.string(), "--slice", "1", "--window", "400,40", "--out", flipped.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const QImage a(QString::fromStdString(normal.string())), b(QString::fromStdString(flipped.string()));
  ASSERT_EQ(a.size(), b.size());
  EXPECT_NE(a, b);
  EXPECT_EQ(a, b.mirrored(true, false));
}

// An enhanced multi-frame file (the B40f slices as frames, highest first, all InstanceNumber 1): `im:N` is frame
// N of the file, and render/export name the frame number, as they name the InstanceNumber of classic files.
TEST(RenderCommand, ImageNumbersOfAnEnhancedFileAreItsFrameNumbers) {
  const fs::path dir = test::scratchDir("cli-enhanced");
  const fs::path file = dir / "in" / "enhanced.dcm";
  fs::create_directories(file.parent_path());
  test::writeEnhancedCt(test::framesHighestFirst(), file);
  const fs::path frame1 = dir / "frame1.png", top = dir / "top.png";
  const auto r = test::runCli({"render", file.parent_path().string(), "--slice", "im:1", "--window", "lung", "--out", frame1.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(": Im 1 (index 29 of 30)"), std::string::npos) << r.out;
  // Frame 1 is the highest slice: the same pixels as the classic series' top slice (index 29).
  ASSERT_EQ(test::runCli({"render", test::lungB40fFolder().string(), "--slice", "29", "--window", "lung", "--out", top.string()}).exit_code,
            0);
  EXPECT_EQ(QImage(QString::fromStdString(frame1.string())), QImage(QString::fromStdString(top.string())));

  const fs::path out = dir / "export";
  const auto e = test::runCli({"export", file.parent_path().string(), "--slice", "im:1,0", "--out", out.string()});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_TRUE(fs::exists(out / "im-001.png"));
  EXPECT_TRUE(fs::exists(out / "im-030.png"));  // index 0, the lowest slice, is the last frame
  EXPECT_NE(e.out.find("Im 1, index 29)"), std::string::npos) << e.out;
  EXPECT_NE(e.out.find("Im 30, index 0)"), std::string::npos) << e.out;

  const auto bad = test::runCli({"render", file.parent_path().string(), "--slice", "im:31", "--window", "lung", "--out", frame1.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("images 1 to 30, frame numbers in the multi-frame file"), std::string::npos) << bad.err;
}

TEST(RenderCommand, BadArgumentsAndBadSlices) {
  const std::string folder = test::lungB40fFolder().string();
  const std::string out = (test::scratchDir("cli-render-bad") / "x.png").string();
  EXPECT_EQ(test::runCli({"render", folder, "--slice", "1", "--window", "soft", "--out", out}).exit_code, 2);
  EXPECT_EQ(test::runCli({"render", folder, "--window", "lung", "--out", out}).exit_code, 2);
  const auto range = test::runCli({"render", folder, "--slice", "30", "--window", "lung", "--out", out});
  EXPECT_EQ(range.exit_code, 1);
  EXPECT_NE(range.err.find("outside the series (0..29"), std::string::npos) << range.err;
  EXPECT_EQ(test::runCli({"render", folder, "--series", "1.2.3", "--slice", "0", "--window", "lung", "--out", out})
                .exit_code,
            1);
  EXPECT_FALSE(fs::exists(out));
}
