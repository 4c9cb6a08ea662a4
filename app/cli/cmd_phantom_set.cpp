// lunglens-cli phantom-set: a balanced, labelled multi-subject phantom dataset for training (labels.csv).
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/hybrid/hybrid_set.h"
#include "core/phantom/phantom_set.h"

namespace lunglens::cli {
namespace {

namespace ph = core::phantom;

int runPhantomSet(const Args& args) {
  if (!args.positionals().empty()) throw UsageError("unexpected argument '" + args.positionals().front() + "'");
  ph::PhantomSetOptions o;
  const std::string out = args.require("out");
  o.subjects = args.intValue("subjects", 30);
  const std::string seed = args.value("seed").value_or("1");
  char* end = nullptr;
  o.seed = std::strtoull(seed.c_str(), &end, 10);
  if (seed.empty() || *end != '\0') throw UsageError("--seed must be a whole number, not '" + seed + "'");
  o.slices = args.intValue("slices", 32);
  o.size = args.intValue("size", 256);
  o.thickness_mm = args.doubleValue("thickness", 0.0);
  const std::string kernel = args.value("kernel").value_or("soft");
  if (kernel != "soft" && kernel != "sharp") throw UsageError("--kernel must be soft or sharp");
  o.kernel = kernel == "soft" ? ph::Kernel::Soft : ph::Kernel::Sharp;
  o.threads = args.intValue("threads", 0);
  ph::phantomSetSubject(o, 0).validate();  // bad sizes fail before any work
  if (const auto dirs = args.value("backgrounds")) {
    std::vector<std::filesystem::path> paths;
    for (const auto& d : splitList(*dirs)) paths.emplace_back(d);
    auto backgrounds = core::hybrid::loadBackgrounds(paths);
    std::cerr << "phantom-set: " << backgrounds.size() << " background series\n";
    o.make_subject = core::hybrid::hybridSubjectMaker(std::move(backgrounds), args.doubleValue("hybrid-share", 0.5),
                                                      o.cancel);
  } else if (args.value("hybrid-share")) {
    throw UsageError("--hybrid-share needs --backgrounds");
  }
  o.progress = [](int done, int total) {
    std::cerr << "\rphantom-set: " << done << "/" << total << " subjects" << (done == total ? "\n" : "") << std::flush;
  };
  const auto csv = ph::writePhantomSet(out, o);
  std::cout << "phantom-set: " << o.subjects << " subjects in " << out << "\n  labels " << csv.string() << "\n";
  return kOk;
}

const RegisterCommand reg{
    {"phantom-set", "", "write a balanced labelled phantom dataset (one folder per subject + labels.csv)",
     {{"out", "DIR", "the dataset folder", true},
      {"subjects", "N", "how many subjects, balanced over the diagnoses (default 30)"},
      {"seed", "S", "the random seed (default 1)"},
      {"slices", "N", "slices per subject (default 32)"},
      {"size", "PX", "rows and columns per slice (default 256)"},
      {"thickness", "MM", "slice thickness (default: from the slice count)"},
      {"kernel", "soft|sharp", "the reconstruction kernel (default soft)"},
      {"threads", "N", "worker threads (default: all cores)"},
      {"backgrounds", "DIR[,DIR...]", "real CT series folders: about --hybrid-share of the subjects get their "
                                      "findings inserted into these lungs (flipped, shifted, extra noise)"},
      {"hybrid-share", "0..1", "with --backgrounds: the share of hybrid subjects (default 0.5)"}},
     &runPhantomSet}};

}  // namespace
}  // namespace lunglens::cli
