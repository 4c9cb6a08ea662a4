#include "core/common/json_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/error.h"

namespace lunglens::core {
namespace {

// Thrown from the parser callback to stop at the first level too deep (before the DOM grows any further).
struct TooDeep {};

}  // namespace

nlohmann::json parseJsonText(const std::string& text, const std::string& context, const std::string& what,
                             int max_depth) {
  using json = nlohmann::json;
  const json::parser_callback_t limit = [max_depth](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= max_depth)
      throw TooDeep{};
    return true;
  };
  try {
    return json::parse(text, limit);
  } catch (const TooDeep&) {
    throw InputError(context, what + ": not valid JSON: nested deeper than " + std::to_string(max_depth) + " levels");
  } catch (const json::exception& e) {
    // parse_error, and out_of_range for numbers that overflow a double (1e400).
    throw InputError(context, what + ": not valid JSON: " + e.what());
  }
}

std::string readRegularFile(const std::filesystem::path& file, const std::string& what, std::size_t max_bytes) {
  // Look before opening: opening a FIFO for reading blocks until a writer appears.
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    throw InputError(file.string(), what + ": cannot open: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw InputError(file.string(), what + ": not a regular file");
  if (static_cast<unsigned long long>(st.st_size) > max_bytes)
    throw InputError(file.string(), what + ": too large (" + std::to_string(st.st_size) + " bytes, at most " +
                                        std::to_string(max_bytes) + ")");
  // O_NONBLOCK: should the path be swapped for a FIFO after the stat, the open still returns at once.
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw InputError(file.string(), what + ": cannot open: " + std::strerror(errno));
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
    ::close(fd);
    throw InputError(file.string(), what + ": not a regular file");
  }
  std::string bytes;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw InputError(file.string(), what + ": cannot read: " + std::strerror(err));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > max_bytes) {
      ::close(fd);
      throw InputError(file.string(), what + ": too large (more than " + std::to_string(max_bytes) + " bytes)");
    }
  }
  ::close(fd);
  return bytes;
}

}  // namespace lunglens::core
