// The parts with no network: node specs and files, date ranges, the multipart reader, the staging folder.
#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/pacs/multipart.h"
#include "core/pacs/node.h"
#include "core/pacs/query.h"
#include "core/pacs/staging.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;
using namespace lunglens;
namespace pacs = lunglens::core::pacs;

TEST(PacsUnit, ParsesDimseSpecs) {
  const auto n = pacs::parseDimseSpec("ORTHANC@pacs.example:4242");
  EXPECT_EQ(n.called_aet, "ORTHANC");
  EXPECT_EQ(n.host, "pacs.example");
  EXPECT_EQ(n.port, 4242);
  EXPECT_EQ(pacs::parseDimseSpec("X@h").port, 104);
  EXPECT_THROW(pacs::parseDimseSpec("pacs.example:4242"), core::InputError);
  EXPECT_THROW(pacs::parseDimseSpec("X@h:http"), core::InputError);
  EXPECT_THROW(pacs::parseDimseSpec("X@h:70000"), core::InputError);
  EXPECT_THROW(pacs::parseDimseSpec("WAY_TOO_LONG_AE_TITLE@h:1"), core::InputError);
}

TEST(PacsUnit, NodesFileRoundTripsAndRefusesPasswords) {
  const fs::path dir = lunglens::test::pacsScratch("nodes");
  pacs::Node a;
  a.name = "ward";
  a.called_aet = "ORTHANC";
  a.port = 4242;
  a.dicomweb_url = "http://127.0.0.1:8042/dicom-web";
  a.username = "reader";
  pacs::writeNodesFile(dir / "nodes.json", {a});
  const auto back = pacs::readNodesFile(dir / "nodes.json");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(pacs::findNode(back, "ward").dicomweb_url, a.dicomweb_url);
  EXPECT_EQ(back[0].username, "reader");
  EXPECT_THROW(pacs::findNode(back, "other"), core::InputError);
  std::ofstream(dir / "bad.json") << R"({"nodes": [{"name": "x", "aet": "A", "password": "secret"}]})";
  try {
    pacs::readNodesFile(dir / "bad.json");
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("must not hold a password"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
  }
}

TEST(PacsUnit, DateRanges) {
  pacs::Query q;
  EXPECT_EQ(pacs::dateRange(q), "");
  q.date_from = "20070401";
  EXPECT_EQ(pacs::dateRange(q), "20070401-");
  q.date_to = "20070401";
  EXPECT_EQ(pacs::dateRange(q), "20070401");
  q.date_from = "";
  EXPECT_EQ(pacs::dateRange(q), "-20070401");
  q.date_from = "20070402";
  EXPECT_THROW(pacs::dateRange(q), core::InputError);  // ends before it starts
  q.date_from = "2007-04-01";
  EXPECT_THROW(pacs::dateRange(q), core::InputError);
  EXPECT_EQ(pacs::containsPattern("chest"), "*chest*");
  EXPECT_EQ(pacs::containsPattern("CT*"), "CT*");
}

TEST(PacsUnit, MultipartSurvivesAnySplit) {
  std::string type;
  const std::vector<std::string> parts{std::string("DICM\r\n--not-a-boundary\0x", 24), "", std::string(3000, 'z')};
  const std::string body = pacs::detail::writeMultipart(parts, "application/dicom", type);
  EXPECT_NE(pacs::detail::boundaryOf(type), "");
  for (std::size_t chunk : {1u, 7u, 100u, 100000u}) {
    std::vector<std::string> got;
    pacs::detail::MultipartReader reader(pacs::detail::boundaryOf(type),
                                         [&](const std::string& t, std::string&& b) {
                                           EXPECT_EQ(t, "application/dicom");
                                           got.push_back(std::move(b));
                                         });
    for (std::size_t i = 0; i < body.size(); i += chunk) reader.feed(body.data() + i, std::min(chunk, body.size() - i));
    EXPECT_TRUE(reader.complete());
    EXPECT_EQ(got, parts) << "chunk " << chunk;
  }
  // Cut short: never complete.
  pacs::detail::MultipartReader cut("", [](const std::string&, std::string&&) {});
  cut.feed(body.data(), body.size() - 10);
  EXPECT_FALSE(cut.complete());
}

TEST(PacsUnit, StagingCommitsWholeOrLeavesNothing) {
  const fs::path dir = lunglens::test::pacsScratch("staging");
  {
    pacs::StagingFolder s(dir / "a");
    std::ofstream(s.nextFile()) << "x";
  }
  EXPECT_FALSE(fs::exists(dir / "a"));
  EXPECT_TRUE(lunglens::test::noStagingLeft(dir, "a"));
  {
    pacs::StagingFolder s(dir / "b");
    std::ofstream(s.nextFile()) << "x";
    s.commit();
  }
  EXPECT_TRUE(fs::exists(dir / "b" / "000001.dcm"));
  EXPECT_THROW(pacs::StagingFolder(dir / "b"), core::InputError);
}
