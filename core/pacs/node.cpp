#include "core/pacs/node.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace lunglens::core::pacs {

std::string Node::label() const {
  std::string where = hasDimse() ? called_aet + "@" + host + ":" + std::to_string(port) : dicomweb_url;
  return name.empty() ? where : name + " (" + where + ")";
}

void checkAeTitle(const std::string& aet, const std::string& what) {
  if (aet.empty() || aet.size() > 16) throw InputError(what, "an AE title has 1 to 16 characters, not '" + aet + "'");
  for (char c : aet) {
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20) throw InputError(what, "'" + aet + "' is not an AE title");
  }
}

Node parseDimseSpec(const std::string& spec) {
  const auto at = spec.find('@');
  if (at == std::string::npos || at == 0) throw InputError(spec, "expected AET@host[:port]");
  Node node;
  node.called_aet = spec.substr(0, at);
  checkAeTitle(node.called_aet, spec);
  std::string rest = spec.substr(at + 1);
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos) {
    const std::string portText = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    try {
      std::size_t used = 0;
      node.port = std::stoi(portText, &used);
      if (used != portText.size()) throw std::invalid_argument(portText);
    } catch (const std::exception&) {
      throw InputError(spec, "the port '" + portText + "' is not a number");
    }
    if (node.port < 1 || node.port > 65535) throw InputError(spec, "the port must be 1 to 65535");
  }
  if (rest.empty()) throw InputError(spec, "no host name");
  node.host = rest;
  return node;
}

std::vector<Node> readNodesFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot read the nodes file");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw InputError(file.string(), std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("nodes") || !doc["nodes"].is_array()) {
    throw InputError(file.string(), "expected {\"nodes\": [...]}");
  }
  std::vector<Node> nodes;
  int index = 0;
  for (const auto& j : doc["nodes"]) {
    const std::string where = file.string() + ": nodes[" + std::to_string(index++) + "]";
    if (!j.is_object()) throw InputError(where, "not an object");
    if (j.contains("password")) {
      throw InputError(where, "a nodes file must not hold a password (use LUNGLENS_PACS_PASSWORD or the keyring)");
    }
    Node n;
    try {
      n.name = j.value("name", "");
      n.called_aet = j.value("aet", "");
      n.host = j.value("host", n.host);
      n.port = j.value("port", n.port);
      n.calling_aet = j.value("calling_aet", n.calling_aet);
      n.dicomweb_url = j.value("dicomweb", "");
      n.username = j.value("username", "");
      n.timeout_s = j.value("timeout_s", n.timeout_s);
    } catch (const std::exception& e) {
      throw InputError(where, std::string("wrong type: ") + e.what());
    }
    if (n.name.empty()) throw InputError(where, "no \"name\"");
    if (!n.hasDimse() && !n.hasDicomWeb()) throw InputError(where, "needs \"aet\" (DIMSE) or \"dicomweb\" (a URL)");
    if (!n.called_aet.empty()) checkAeTitle(n.called_aet, where + ".aet");
    checkAeTitle(n.calling_aet, where + ".calling_aet");
    if (n.port < 1 || n.port > 65535) throw InputError(where, "the port must be 1 to 65535");
    if (n.timeout_s < 1) throw InputError(where, "timeout_s must be at least 1");
    nodes.push_back(std::move(n));
  }
  return nodes;
}

void writeNodesFile(const std::filesystem::path& file, const std::vector<Node>& nodes) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& n : nodes) {
    list.push_back({{"name", n.name}, {"aet", n.called_aet}, {"host", n.host}, {"port", n.port},
                    {"calling_aet", n.calling_aet}, {"dicomweb", n.dicomweb_url}, {"username", n.username},
                    {"timeout_s", n.timeout_s}});
  }
  const auto tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) throw InputError(file.string(), "cannot write the nodes file");
    out << nlohmann::json{{"nodes", list}}.dump(2) << "\n";
    if (!out) throw InputError(file.string(), "cannot write the nodes file");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) throw InputError(file.string(), "cannot write the nodes file: " + ec.message());
}

const Node& findNode(const std::vector<Node>& nodes, const std::string& name) {
  std::string known;
  for (const auto& n : nodes) {
    if (n.name == name) return n;
    known += (known.empty() ? "" : ", ") + n.name;
  }
  throw InputError(name, "no such node (known: " + (known.empty() ? std::string("none") : known) + ")");
}

}  // namespace lunglens::core::pacs
