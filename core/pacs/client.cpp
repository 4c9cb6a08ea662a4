#include "core/pacs/client.h"

#include "core/common/error.h"

namespace lunglens::core::pacs {
namespace {

void require(const Connection& c) {
  if (c.protocol == Protocol::Dimse && !c.node.hasDimse()) {
    throw InputError(c.node.label(), "no AE title, host and port for DIMSE");
  }
  if (c.protocol == Protocol::DicomWeb && !c.node.hasDicomWeb()) {
    throw InputError(c.node.label(), "no DICOMweb URL");
  }
}

}  // namespace

const char* protocolName(Protocol p) { return p == Protocol::Dimse ? "DIMSE" : "DICOMweb"; }

void echo(const Connection& c) {
  require(c);
  if (c.protocol == Protocol::Dimse) echo(c.node);
  else webEcho(c.node, c.credentials);
}

std::vector<Match> find(const Connection& c, const Query& query) {
  require(c);
  return c.protocol == Protocol::Dimse ? find(c.node, query) : webFind(c.node, c.credentials, query);
}

int retrieve(const Connection& c, const std::string& study_uid, const std::string& series_uid,
             const std::filesystem::path& destination, const TransferOptions& options) {
  require(c);
  return c.protocol == Protocol::Dimse ? retrieve(c.node, study_uid, series_uid, destination, options)
                                       : webRetrieve(c.node, c.credentials, study_uid, series_uid, destination, options);
}

int store(const Connection& c, const std::vector<std::filesystem::path>& files, const TransferOptions& options) {
  require(c);
  return c.protocol == Protocol::Dimse ? store(c.node, files, options)
                                       : webStore(c.node, c.credentials, files, options);
}

}  // namespace lunglens::core::pacs
