#include "tests/pacs/orthanc_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/pacs/client.h"

namespace fs = std::filesystem;

namespace lunglens::test {

int freePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string dicomWebPlugin() {
  for (const char* p : {"/usr/share/orthanc/plugins/libOrthancDicomWeb.so", "/usr/lib/orthanc/libOrthancDicomWeb.so"}) {
    if (fs::exists(p)) return p;
  }
  for (const char* dir : {"/usr/lib/orthanc", "/usr/share/orthanc/plugins"}) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().filename().string().rfind("libOrthancDicomWeb.so", 0) == 0) return e.path().string();
    }
  }
  return "";
}

OrthancServer::OrthancServer(fs::path workdir) : workdir_(std::move(workdir)) {
  if (!fs::exists("/usr/sbin/Orthanc")) {
    throw std::runtime_error("Orthanc is not installed (/usr/sbin/Orthanc): run scripts/bootstrap");
  }
  const std::string plugin = dicomWebPlugin();
  if (plugin.empty()) throw std::runtime_error("the Orthanc DICOMweb plugin is not installed: run scripts/bootstrap");
  fs::remove_all(workdir_);
  fs::create_directories(workdir_ / "storage");
  dicom_port_ = freePort();
  http_port_ = freePort();
  const auto c = credentials();
  const nlohmann::json config = {
      {"Name", "LungLensTest"},
      {"StorageDirectory", (workdir_ / "storage").string()},
      {"IndexDirectory", (workdir_ / "storage").string()},
      {"Plugins", {plugin}},
      {"HttpServerEnabled", true},
      {"HttpPort", http_port_},
      {"RemoteAccessAllowed", false},
      {"AuthenticationEnabled", true},
      {"RegisteredUsers", {{c.username, c.password}}},
      {"DicomServerEnabled", true},
      {"DicomAet", aet()},
      {"DicomPort", dicom_port_},
      {"DicomCheckCalledAet", true},
      {"DicomModalities", {{"lunglens", {"LUNGLENS", "127.0.0.1", freePort()}}}},
      {"DicomAlwaysAllowEcho", true},
      {"DicomAlwaysAllowStore", true},
      {"DicomScpTimeout", 10},
      {"DicomWeb", {{"Enable", true}, {"Root", "/dicom-web/"}, {"EnableWado", false}}},
      {"SaveJobs", false},
      {"StorageCompression", false},
      {"SyncStorageArea", false},  // no fsync per file: a test server's storage is thrown away anyway
      {"ConcurrentJobs", 1},
  };
  std::ofstream(workdir_ / "orthanc.json") << config.dump(2);
  start();
}

OrthancServer::~OrthancServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill();
}

void OrthancServer::start() {
  if (pid_ > 0) return;
  const std::string config = (workdir_ / "orthanc.json").string();
  const std::string logFile = (workdir_ / "orthanc.log").string();
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // Orthanc never outlives the test binary, even one that crashes: the kernel kills it with its parent.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::FILE* log = std::fopen(logFile.c_str(), "a");
    if (log) {
      ::dup2(fileno(log), 1);
      ::dup2(fileno(log), 2);
    }
    ::execl("/usr/sbin/Orthanc", "Orthanc", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  core::pacs::Connection dimse{node(), core::pacs::Protocol::Dimse, {}};
  core::pacs::Connection web{node(), core::pacs::Protocol::DicomWeb, credentials()};
  dimse.node.timeout_s = web.node.timeout_s = 2;
  std::string last;
  for (int i = 0; i < 300; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("Orthanc exited at start:\n" + log());
    }
    try {
      core::pacs::echo(dimse);
      core::pacs::echo(web);
      return;
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill();
  throw std::runtime_error("Orthanc did not answer within 30 s (" + last + "):\n" + log());
}

void OrthancServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

core::pacs::Node OrthancServer::node() const {
  core::pacs::Node n;
  n.name = "test-orthanc";
  n.called_aet = aet();
  n.host = "127.0.0.1";
  n.port = dicom_port_;
  n.calling_aet = "LUNGLENS";
  n.dicomweb_url = "http://127.0.0.1:" + std::to_string(http_port_) + "/dicom-web";
  n.username = credentials().username;
  n.timeout_s = 10;
  return n;
}

std::string OrthancServer::log() const {
  std::ifstream in(workdir_ / "orthanc.log");
  std::ostringstream s;
  s << in.rdbuf();
  const std::string all = s.str();
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

}  // namespace lunglens::test
