// What the reader is told when a node cannot be used, and that nothing half-imported is ever left behind.
#include <gtest/gtest.h>

#include <iostream>

#include "core/common/error.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;
using namespace lunglens;
using namespace lunglens::test;
namespace pacs = lunglens::core::pacs;

namespace {

// The InputError message of `f`, or a failure if it does not throw one.
template <class F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const core::InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(PacsFailures, WrongDicomPortSaysNothingAnswers) {
  auto c = dimseConnection();
  c.node.port = freePort();
  const std::string m = errorOf([&] { pacs::echo(c); });
  std::cout << "  message: " << m << "\n";
  EXPECT_TRUE(contains(m, "connection refused") && contains(m, std::to_string(c.node.port))) << m;
  const fs::path dest = pacsScratch("wrong-port") / "series";
  const auto& s = sharedSeries("Lung_Dx-A0002", 2);
  errorOf([&] { pacs::retrieve(c, s.study_uid, s.series_uid, dest); });
  EXPECT_FALSE(fs::exists(dest));
}

TEST(PacsFailures, WrongHttpPortSaysNothingAnswers) {
  auto c = webConnection();
  const int port = freePort();
  c.node.dicomweb_url = "http://127.0.0.1:" + std::to_string(port) + "/dicom-web";
  const std::string m = errorOf([&] { pacs::echo(c); });
  EXPECT_TRUE(contains(m, "connection refused") && contains(m, std::to_string(port))) << m;
}

TEST(PacsFailures, WrongAeTitleIsRejectedByName) {
  orthanc();
  auto c = dimseConnection();
  c.node.called_aet = "NOTORTHANC";
  const std::string m = errorOf([&] { pacs::echo(c); });
  std::cout << "  message: " << m << "\n";
  EXPECT_TRUE(contains(m, "rejected the association") && contains(m, "NOTORTHANC")) << m;
  EXPECT_TRUE(contains(errorOf([&] { pacs::find(c, {}); }), "rejected")) ;
}

TEST(PacsFailures, WrongCredentialsSayHttp401AndNeverShowThePassword) {
  orthanc();
  auto c = webConnection();
  c.credentials.password = "not-the-password-42";
  const std::string m = errorOf([&] { pacs::find(c, {}); });
  std::cout << "  message: " << m << "\n";
  EXPECT_TRUE(contains(m, "user name or password") && contains(m, "401")) << m;
  EXPECT_FALSE(contains(m, "not-the-password-42")) << m;
  c.credentials = {};
  EXPECT_TRUE(contains(errorOf([&] { pacs::echo(c); }), "401"));
  const fs::path dest = pacsScratch("wrong-credentials") / "series";
  const auto& s = sharedSeries("Lung_Dx-A0002", 2);
  errorOf([&] { pacs::retrieve(c, s.study_uid, s.series_uid, dest); });
  EXPECT_FALSE(fs::exists(dest));
}

// The server dies (SIGKILL) after a few files have arrived: a clear message, no folder, no staging left.
class PacsServerStops : public ::testing::TestWithParam<pacs::Protocol> {};

TEST_P(PacsServerStops, MidTransferLeavesNothingHalfImported) {
  orthanc();
  const auto c = GetParam() == pacs::Protocol::Dimse ? dimseConnection() : webConnection();
  const auto& s = sharedSeries("Lung_Dx-A0001", 3);
  const fs::path dest = pacsScratch("server-stops") / "series";
  int arrived = 0;
  pacs::TransferOptions options;
  options.progress = [&](int done, int) {
    arrived = done;
    if (done == 5) orthanc().kill();
  };
  const std::string m = errorOf([&] { pacs::retrieve(c, s.study_uid, s.series_uid, dest, options); });
  std::cout << "  message: " << m << "\n";
  EXPECT_GE(arrived, 5);
  EXPECT_LT(arrived, 64) << "the whole series arrived before the server stopped: the test proves nothing";
  EXPECT_TRUE(contains(m, "none kept")) << m;
  EXPECT_TRUE(contains(m, "closed the connection") || contains(m, "stopped sending")) << m;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_TRUE(noStagingLeft(dest.parent_path(), "series"));
  orthanc();  // restarted for the tests after this one
}

INSTANTIATE_TEST_SUITE_P(Orthanc, PacsServerStops, ::testing::Values(pacs::Protocol::Dimse, pacs::Protocol::DicomWeb),
                         [](const auto& info) { return std::string(pacs::protocolName(info.param)); });
