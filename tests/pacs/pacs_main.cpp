// The PACS tests' main: a QCoreApplication (DICOMweb runs Qt Network event loops) and the Orthanc environment.
#include <gtest/gtest.h>

#include <QCoreApplication>
#ifdef LUNGLENS_PACS_WIDGETS
#include <QApplication>
#endif
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "core/dicom/scan.h"
#include "tests/common/test_paths.h"
#include "tests/pacs/pacs_environment.h"

namespace fs = std::filesystem;

namespace lunglens::test {
namespace {

std::unique_ptr<OrthancServer> server;

class OrthancEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    try {
      start();
    } catch (const std::exception& e) {
      server.reset();
      FAIL() << e.what();  // every test is then skipped and the run fails: Orthanc is part of the test
    }
  }
  void start() {
    const auto t0 = std::chrono::steady_clock::now();
    server = std::make_unique<OrthancServer>(binaryDir() / "test-scratch" / ("orthanc-" + std::to_string(::getpid())));
    std::vector<fs::path> files;
    for (const auto& s : sharedCatalog().series) {
      for (const auto& slice : s.slices) files.push_back(slice.path);
    }
    // One association per series, in parallel: Orthanc indexes each instance on arrival, and four at once keep
    // the load step short on a busy machine.
    std::vector<std::vector<fs::path>> bySeries;
    for (const auto& s : sharedCatalog().series) {
      bySeries.emplace_back();
      for (const auto& slice : s.slices) bySeries.back().push_back(slice.path);
    }
    std::vector<std::thread> senders;
    std::vector<std::string> errors(bySeries.size());
    for (std::size_t i = 0; i < bySeries.size(); ++i) {
      senders.emplace_back([&, i] {
        try {
          core::pacs::store(dimseConnection(), bySeries[i]);
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      });
    }
    for (auto& t : senders) t.join();
    for (const auto& e : errors) {
      if (!e.empty()) throw std::runtime_error("loading the shared series into Orthanc: " + e);
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "Orthanc on DICOM port " << server->dicomPort() << ", HTTP port " << server->httpPort()
              << ", loaded " << files.size() << " files in " << s << " s\n";
  }
  void TearDown() override {
    if (!server) return;
    const fs::path dir = server->workdir();
    server.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

OrthancServer& orthanc() {
  if (!server->running()) server->start();
  return *server;
}

core::pacs::Connection dimseConnection() { return {server->node(), core::pacs::Protocol::Dimse, {}}; }
core::pacs::Connection webConnection() {
  return {server->node(), core::pacs::Protocol::DicomWeb, server->credentials()};
}

const core::dicom::Catalog& sharedCatalog() {
  static const core::dicom::Catalog catalog = core::dicom::scan(lungPetCtDx());
  return catalog;
}

const core::dicom::SeriesInfo& sharedSeries(const std::string& patient_id, int series_number) {
  for (const auto& s : sharedCatalog().series) {
    if (s.patient_id == patient_id && s.series_number == series_number) return s;
  }
  throw std::runtime_error("no shared series " + patient_id + " #" + std::to_string(series_number));
}

fs::path pacsScratch(const std::string& name) { return scratchDir("pacs-" + name); }

bool noStagingLeft(const fs::path& parent, const std::string& leaf) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    if (e.path().filename().string().rfind("." + leaf + ".partial-", 0) == 0) return false;
  }
  return true;
}

}  // namespace lunglens::test

int main(int argc, char** argv) {
#ifdef LUNGLENS_PACS_WIDGETS
  // Widgets for the dialog's test, offscreen so this long-running binary never takes the shared X display from the
  // window tests (grab() works the same). For a screenshot on Xvfb: QT_QPA_PLATFORM=xcb xvfb-run ... test_pacs.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
#else
  QCoreApplication app(argc, argv);
#endif
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new lunglens::test::OrthancEnvironment);
  return RUN_ALL_TESTS();
}
