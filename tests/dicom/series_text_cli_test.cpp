// `series --json` on files whose text is not UTF-8 (issue 18): one flipped byte in a description, Latin-1 names.
// Before: exit 3 (the JSON writer refused the bytes). Now: exit 0 with the text decoded and bad bytes replaced.
#include <gdcmDataSet.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/common/test_paths.h"
#include "tests/dicom/dicom_fixtures.h"

namespace fs = std::filesystem;
using namespace lunglens;

TEST(SeriesTextCli, NonUtf8TextIsDecodedNotAnInternalError) {
  const fs::path dir = test::scratchDir("series-text");
  auto files = test::filesByZ(test::lungB40fFolder());
  files.resize(3);
  const auto copies = test::copyAs(files, dir);
  for (const auto& f : copies) {
    test::editDicom(f, [](gdcm::DataSet& ds) {
      test::setText(ds, 0x0008, 0x0005, "ISO_IR 192");  // declared UTF-8, holds a byte that is not
      test::setText(ds, 0x0008, 0x103e, "Thorax \xe9\xff");
    });
  }
  const auto r = test::runCli({"series", dir.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["series"].size(), 1u);
  EXPECT_EQ(j["series"][0]["description"], "Thorax \xef\xbf\xbd\xef\xbf\xbd");

  for (const auto& f : copies) {
    test::editDicom(f, [](gdcm::DataSet& ds) {
      test::setText(ds, 0x0008, 0x0005, "ISO_IR 100");
      test::setText(ds, 0x0008, 0x103e, "Poumon \xe0 1 mm");
    });
  }
  const auto latin1 = test::runCli({"series", dir.string(), "--json"});
  ASSERT_EQ(latin1.exit_code, 0) << latin1.err;
  EXPECT_EQ(nlohmann::json::parse(latin1.out)["series"][0]["description"], "Poumon \xc3\xa0 1 mm");
}
