#include "core/common/paths.h"

#include <cstdlib>
#include <fstream>
#include <system_error>
#include <unistd.h>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace lunglens::core {

fs::path executableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : exe.parent_path();
}

fs::path userDataDir() {
  fs::path dir;
  if (const char* own = std::getenv("LUNGLENS_DATA_DIR"); own && *own) {
    dir = own;
  } else if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    dir = fs::path(xdg) / "lunglens";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = fs::path(home) / ".local" / "share" / "lunglens";
  } else {
    dir = fs::temp_directory_path() / "lunglens";
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir.string(), "cannot create the data folder: " + ec.message());
  return dir;
}

void writeFileAtomically(const fs::path& target, const std::string& bytes, bool overwrite) {
  if (!overwrite && fs::exists(target)) throw InputError(target.string(), "file exists; not overwriting it");
  const fs::path tmp = target.parent_path() / (".tmp-" + std::to_string(::getpid()) + "-" + target.filename().string());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(target.string(), "cannot write here (permission denied or no such folder)");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw InputError(target.string(), "write failed (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw InputError(target.string(), "cannot move the finished file into place: " + ec.message());
  }
}

}  // namespace lunglens::core
