#pragma once
// A real Orthanc for the PACS tests: Debian's /usr/sbin/Orthanc with the DICOMweb plugin, on free localhost ports,
// with a temporary configuration and storage, HTTP user and password, DicomCheckCalledAet on (so a wrong AE title is
// refused) and LungLens registered as a modality. Started by the constructor (waits until it answers C-ECHO and
// HTTP), stopped by the destructor. kill() stops it abruptly (a server dying mid-transfer); start() brings it back
// on the same ports and storage.
#include <sys/types.h>

#include <filesystem>
#include <string>

#include "core/pacs/node.h"

namespace lunglens::test {

class OrthancServer {
 public:
  explicit OrthancServer(std::filesystem::path workdir);
  ~OrthancServer();
  OrthancServer(const OrthancServer&) = delete;
  OrthancServer& operator=(const OrthancServer&) = delete;

  void start();
  void kill();  // SIGKILL, then reaps it
  bool running() const { return pid_ > 0; }

  int dicomPort() const { return dicom_port_; }
  int httpPort() const { return http_port_; }
  std::string aet() const { return "ORTHANCTEST"; }
  core::pacs::Node node() const;  // DIMSE and DICOMweb on this server, with the test user's name
  core::pacs::Credentials credentials() const { return {"lunglens", "pacs-test-secret"}; }
  const std::filesystem::path& workdir() const { return workdir_; }
  std::string log() const;  // the server's log, for failure messages

 private:
  std::filesystem::path workdir_;
  int dicom_port_ = 0, http_port_ = 0;
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 nobody listens on right now.
int freePort();
// Where Debian puts the DICOMweb plugin ("" if not installed).
std::string dicomWebPlugin();

}  // namespace lunglens::test
