#include "core/phantom/demo_study.h"

#include <unistd.h>

#include <fstream>
#include <iterator>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/phantom/generator.h"
#include "core/phantom/study_writer.h"

namespace fs = std::filesystem;

namespace lunglens::core::phantom {

namespace {
constexpr const char* kStampFile = "generator.stamp";

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return in ? std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) : std::string();
}
}  // namespace

PhantomParams demoParams() {
  PhantomParams p;
  p.seed = 2020;
  p.diagnosis = Diagnosis::Covid;
  p.manifestations = {Finding::Ggo, Finding::Consolidation, Finding::FibroticStreaks};
  p.severity = 0.3;
  p.slices = 120;
  p.size = 512;
  return p;
}

fs::path ensureDemoStudy(const CancelToken& cancel) {
  const PhantomParams params = demoParams();
  const std::string stamp = params.canonical() + "\n";
  const fs::path demo = userDataDir() / "demo";
  const fs::path target = demo / "covid-phantom";
  if (readText(target / kStampFile) == stamp && fs::exists(target / kTruthFile) && fs::exists(target / kLabelsFile))
    return target;

  std::error_code ec;
  fs::create_directories(demo, ec);
  if (ec) throw InputError(demo.string(), "cannot create the demo folder: " + ec.message());
  const fs::path tmp = demo / (".tmp-covid-phantom-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  try {
    const Phantom ph = generatePhantom(params, cancel);
    writePhantomStudy(ph, tmp);
    writeFileAtomically(tmp / kStampFile, stamp, true);
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  fs::remove_all(target, ec);
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove_all(tmp, ec);
    if (readText(target / kStampFile) == stamp) return target;  // another process finished first
    throw InputError(target.string(), "cannot move the demo study into place");
  }
  return target;
}

}  // namespace lunglens::core::phantom
