// lunglens-cli: headless LungLens. Errors become a message on stderr and an exit code:
// 0 ok, 1 bad input, 2 usage, 3 internal error.
#include <algorithm>
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "core/common/allocator_policy.h"
#include "core/common/openmp_policy.h"
#include "core/common/disclaimer.h"
#include "core/common/error.h"

using namespace lunglens;

static void printHelp(std::ostream& out) {
  auto all = cli::commands();
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  out << "usage: lunglens-cli COMMAND [ARGS...]\n\nCommands:\n";
  for (const auto& c : all) out << "  " << cli::usageLine(c) << "\n      " << c.summary << "\n";
  out << "\nAI scores: " << core::kDisclaimer << ".\n";
}

int main(int argc, char** argv) {
  core::ensurePassiveOpenMpWait(argv);  // may start the program again with OMP_WAIT_POLICY=PASSIVE (says why)
  core::applyAllocatorPolicy();  // before anything large is allocated (core/common/allocator_policy.h says why)
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    printHelp(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? cli::kUsage : cli::kOk;
  }
  const std::string name = argv[1];
  const auto& all = cli::commands();
  const auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c.name == name; });
  if (it == all.end()) {
    std::cerr << "lunglens-cli: unknown command '" << name << "'\n";
    printHelp(std::cerr);
    return cli::kUsage;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::cout << cli::helpText(*it);
    return cli::kOk;
  }
  try {
    return cli::runCommand(*it, args);
  } catch (const cli::UsageError& e) {
    std::cerr << "lunglens-cli " << name << ": " << e.what() << "\nusage: lunglens-cli " << cli::usageLine(*it) << "\n";
    return cli::kUsage;
  } catch (const core::InputError& e) {
    std::cerr << "lunglens-cli " << name << ": " << e.what() << "\n";
    return cli::kBadInput;
  } catch (const core::Cancelled&) {
    std::cerr << "lunglens-cli " << name << ": cancelled\n";
    return cli::kBadInput;
  } catch (const std::exception& e) {
    std::cerr << "lunglens-cli " << name << ": internal error: " << e.what() << "\n";
    return cli::kInternal;
  }
}
