#pragma once
// Deterministic fuzzing as ctest corpus runs (issue 18): seeded mutations of real files (byte flips,
// truncations, length-field edits, deep nesting), each mutant run through a reader in a forked child so that a
// crash, an abort or a hang is counted instead of ending the test, with the reader's allocations measured.
//
// The child's verdicts: the reader finished (accepted the input or refused it with InputError), the reader threw
// anything else (an internal error: what the CLI answers with exit 3), it crashed (a signal), it hung (killed after
// a time limit), or it asked for more memory than 64 MiB beyond 4 x the file's size (counted by this binary's
// operator new of core/common/allocation_limit.cpp, which sees every C++ allocation, GDCM's and nlohmann's too).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lunglens::test::fuzz {

// SplitMix64: the same mutants on every machine and run.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

// Binary mutations, one picked per call: flip 1-8 random bytes, truncate at a random point, set a random
// 16/32-bit field to an extreme value (0, 0xffff..., a large length), or zero a random run.
std::string mutateBytes(const std::string& original, Rng& rng);
// Mutations for JSON text: the binary ones plus nesting 200,000 deep, numbers replaced by 1e400 / -1e308 /
// 4096 / 1e-308, strings swapped for numbers, and a value replaced by "yes".
std::string mutateJson(const std::string& original, Rng& rng);

enum class Outcome { Finished, InternalError, Crashed, Hung, OverMemory };
const char* outcomeName(Outcome o);

struct Report {
  int runs = 0, finished = 0, internal_errors = 0, crashes = 0, hangs = 0, over_memory = 0;
  std::vector<std::string> problems;  // "<mutant label>: <outcome> <detail>"
  std::size_t largest_request = 0;   // the most a single mutant asked for beyond its baseline
  void add(Outcome o, const std::string& label, const std::string& detail, std::size_t requested);
  std::string summary() const;
};

// Runs `reader` in a forked child with this budget: at most `budget_bytes` of C++ allocations live beyond what
// was live when it started (the peak of live bytes, requests that failed included), at most `seconds` of wall
// time. `reader` signals an internal error by throwing anything but core::InputError. `requested` gets the peak.
Outcome runIsolated(const std::function<void()>& reader, std::size_t budget_bytes, double seconds,
                    std::string& detail, std::size_t& requested);

// 64 MiB beyond 4 x the input's size: the bound for any one file.
std::size_t budgetFor(std::size_t input_bytes);

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& bytes);

}  // namespace lunglens::test::fuzz
