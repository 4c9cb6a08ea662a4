#pragma once
// A PACS node: where LungLens queries, retrieves from and sends to, over DIMSE (AE title, host, port) and/or
// DICOMweb (a base URL). A node never holds a password: DICOMweb credentials live in the desktop keyring (ui/pacs)
// or come from the environment / a prompt (lunglens-cli), and travel separately as Credentials.
#include <filesystem>
#include <string>
#include <vector>

namespace lunglens::core::pacs {

enum class Protocol { Dimse, DicomWeb };

struct Node {
  std::string name;                   // what the user calls it ("Orthanc on the ward")
  std::string called_aet;             // the node's AE title
  std::string host = "127.0.0.1";
  int port = 104;
  std::string calling_aet = "LUNGLENS";  // ours, as the node knows it
  std::string dicomweb_url;           // e.g. http://host:8042/dicom-web (empty: no DICOMweb)
  std::string username;               // DICOMweb user (empty: no authentication)
  int timeout_s = 30;                 // connect and per-message timeout

  bool hasDimse() const { return !called_aet.empty() && !host.empty() && port > 0; }
  bool hasDicomWeb() const { return !dicomweb_url.empty(); }
  // "NAME (AET@host:port)" for messages.
  std::string label() const;
};

struct Credentials {
  std::string username, password;
  bool empty() const { return username.empty(); }
};

// "AET@host:port" (port defaults to 104). Throws InputError for anything else.
Node parseDimseSpec(const std::string& spec);

// A nodes file: {"nodes": [{"name": ..., "aet": ..., "host": ..., "port": ..., "calling_aet": ...,
// "dicomweb": ..., "username": ..., "timeout_s": ...}]}. Throws InputError naming the file and the field; a
// "password" key is refused, so a plain file never carries one.
std::vector<Node> readNodesFile(const std::filesystem::path& file);
void writeNodesFile(const std::filesystem::path& file, const std::vector<Node>& nodes);
// The node called `name` in `nodes`; throws InputError listing the names there are.
const Node& findNode(const std::vector<Node>& nodes, const std::string& name);

// Checks an AE title (1-16 characters, no backslash or control characters). Throws InputError.
void checkAeTitle(const std::string& aet, const std::string& what);

}  // namespace lunglens::core::pacs
