#include "tests/fuzz/fuzz_support.h"

#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstddef>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <thread>

#include "core/common/allocation_limit.h"
#include "core/common/error.h"

namespace lunglens::test::fuzz {

std::uint64_t Rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::string mutateBytes(const std::string& original, Rng& rng) {
  std::string s = original;
  if (s.empty()) return s;
  switch (rng.below(5)) {
    case 0: {  // flip bytes
      const std::size_t n = 1 + rng.below(8);
      for (std::size_t i = 0; i < n; ++i) s[rng.below(s.size())] ^= static_cast<char>(1 + rng.below(255));
      break;
    }
    case 1:  // truncate
      s.resize(rng.below(s.size()));
      break;
    case 2: {  // an extreme 32-bit field (a length, most likely, in the first 4 KiB where headers live)
      if (s.size() < 8) break;
      const std::size_t at = rng.below(std::min<std::size_t>(s.size(), 4096) - 4);
      const std::uint32_t values[] = {0xffffffffu, 0x7ffffff0u, 0x40000000u, 0x00ffffffu, 0u,
                                      static_cast<std::uint32_t>(rng.next())};
      const std::uint32_t v = values[rng.below(6)];
      std::memcpy(&s[at], &v, 4);
      break;
    }
    case 3: {  // an extreme 16-bit field (a short length, Rows, Samples per Pixel, ...)
      if (s.size() < 4) break;
      const std::size_t at = rng.below(std::min<std::size_t>(s.size(), 4096) - 2);
      const std::uint16_t values[] = {0xffffu, 0u, 2u, 5u, 0x8000u};
      const std::uint16_t v = values[rng.below(5)];
      std::memcpy(&s[at], &v, 2);
      break;
    }
    default: {  // zero a run
      const std::size_t at = rng.below(s.size());
      const std::size_t n = std::min(s.size() - at, 1 + rng.below(64));
      std::memset(&s[at], 0, n);
      break;
    }
  }
  return s;
}

std::string mutateJson(const std::string& original, Rng& rng) {
  std::string s = original;
  const auto replaceNumber = [&](const std::string& with) {
    // A random number literal (a digit run) becomes `with`.
    for (int tries = 0; tries < 20; ++tries) {
      const std::size_t at = rng.below(s.size());
      if (!std::isdigit(static_cast<unsigned char>(s[at]))) continue;
      std::size_t a = at, b = at;
      while (a > 0 && (std::isdigit(static_cast<unsigned char>(s[a - 1])) || s[a - 1] == '.' || s[a - 1] == '-')) --a;
      while (b < s.size() && (std::isdigit(static_cast<unsigned char>(s[b])) || s[b] == '.' || s[b] == 'e')) ++b;
      s.replace(a, b - a, with);
      return;
    }
  };
  switch (rng.below(8)) {
    case 0: {  // nest deep where a value starts
      const std::size_t colon = s.find(':', rng.below(s.size()));
      const std::size_t depth = rng.below(2) ? 200000 : 100 + rng.below(1000);
      const std::string open(depth, rng.below(2) ? '[' : '{');
      if (colon != std::string::npos) s.insert(colon + 1, open[0] == '[' ? open : std::string());
      if (open[0] == '{') {
        std::string objects;
        for (std::size_t i = 0; i < depth; ++i) objects += "{\"a\":";
        if (colon != std::string::npos) s.insert(colon + 1, objects);
      }
      break;
    }
    case 1: replaceNumber("1e400"); break;
    case 2: replaceNumber("-1e308"); break;
    case 3: replaceNumber(rng.below(2) ? "4096" : "1e-308"); break;
    case 4: {  // a string value becomes a number, or "true" becomes "yes"
      const std::size_t t = s.find("true", rng.below(s.size()));
      if (t != std::string::npos) {
        s.replace(t, 4, "\"yes\"");
      } else {
        const std::size_t q = s.find(": \"", rng.below(s.size()));
        if (q != std::string::npos) s.replace(q + 2, 1, "12345,\"x\":\"");
      }
      break;
    }
    default: s = mutateBytes(s, rng); break;
  }
  return s;
}

const char* outcomeName(Outcome o) {
  switch (o) {
    case Outcome::Finished: return "finished";
    case Outcome::InternalError: return "internal error";
    case Outcome::Crashed: return "crashed";
    case Outcome::Hung: return "hung";
    case Outcome::OverMemory: return "over the memory bound";
  }
  return "?";
}

void Report::add(Outcome o, const std::string& label, const std::string& detail, std::size_t requested) {
  ++runs;
  largest_request = std::max(largest_request, requested);
  switch (o) {
    case Outcome::Finished: ++finished; return;
    case Outcome::InternalError: ++internal_errors; break;
    case Outcome::Crashed: ++crashes; break;
    case Outcome::Hung: ++hangs; break;
    case Outcome::OverMemory: ++over_memory; break;
  }
  if (problems.size() < 20) problems.push_back(label + ": " + outcomeName(o) + " " + detail);
}

std::string Report::summary() const {
  std::string s = std::to_string(runs) + " mutants: " + std::to_string(finished) + " handled, " +
                  std::to_string(internal_errors) + " internal errors, " + std::to_string(crashes) + " crashes, " +
                  std::to_string(hangs) + " hangs, " + std::to_string(over_memory) +
                  " over the memory bound; largest request " + std::to_string(largest_request >> 10) + " KiB";
  for (const auto& p : problems) s += "\n  " + p;
  return s;
}

std::size_t budgetFor(std::size_t input_bytes) { return 4 * input_bytes + (std::size_t(64) << 20); }

Outcome runIsolated(const std::function<void()>& reader, std::size_t budget_bytes, double seconds,
                    std::string& detail, std::size_t& requested) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    close(pipe_fds[0]);
    // Keep the machine safe if the count misses something (a C allocation): a bounded address space.
    long pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    if (pages > 0) {
      const rlim_t limit = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) +
                           static_cast<rlim_t>(budget_bytes) + (rlim_t(1) << 30);
      const rlimit rl{limit, limit};
      setrlimit(RLIMIT_AS, &rl);
    }
    core::startAllocationCounting();
    core::resetPeakAllocatedBytes();
    const std::int64_t base = core::liveAllocatedBytes();
    int code = 0;
    std::string message;
    try {
      reader();
    } catch (const core::InputError&) {
      code = 0;  // refused cleanly: what bad input should get
    } catch (const std::bad_alloc&) {
      code = 4;
      message = "std::bad_alloc";
    } catch (const std::exception& e) {
      code = 3;
      message = e.what();
    } catch (...) {
      code = 3;
      message = "unknown exception";
    }
    const std::size_t peak = static_cast<std::size_t>(std::max<std::int64_t>(0, core::peakAllocatedBytes() - base));
    if (code == 0 && peak > budget_bytes) code = 4;
    char line[600];
    const int n = std::snprintf(line, sizeof line, "%zu %.500s", peak, message.c_str());
    if (write(pipe_fds[1], line, static_cast<std::size_t>(std::max(0, n))) < 0) code = 5;
    _exit(code);
  }
  close(pipe_fds[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  bool hung = false;
  while (waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      hung = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  char buffer[700] = {};
  const ssize_t got = read(pipe_fds[0], buffer, sizeof buffer - 1);
  close(pipe_fds[0]);
  requested = 0;
  if (got > 0) {
    char* rest = nullptr;
    requested = std::strtoull(buffer, &rest, 10);
    detail = rest && *rest == ' ' ? rest + 1 : "";
  }
  if (hung) return Outcome::Hung;
  if (WIFSIGNALED(status)) {
    detail = std::string("signal ") + strsignal(WTERMSIG(status));
    return Outcome::Crashed;
  }
  const int code = WEXITSTATUS(status);
  if (code == 0) return Outcome::Finished;
  if (code == 4) {
    detail = "asked for " + std::to_string(requested >> 20) + " MiB (bound " + std::to_string(budget_bytes >> 20) +
             " MiB) " + detail;
    return Outcome::OverMemory;
  }
  return Outcome::InternalError;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace lunglens::test::fuzz
