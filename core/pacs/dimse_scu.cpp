#include "core/pacs/dimse_scu.h"

#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>

#include <mutex>

#include "core/common/error.h"

namespace lunglens::core::pacs::detail {

namespace {
// DCMTK's condition texts can span lines ("DIMSE Failed to send message\nTCP I/O Error: ..."): one line here.
std::string oneLine(const char* text) {
  std::string s = text ? text : "";
  for (auto pos = s.find('\n'); pos != std::string::npos; pos = s.find('\n', pos)) s.replace(pos, 1, "; ");
  return s;
}
}  // namespace

void quietDcmtkNetworkLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::getLogger("dcmtk.dcmnet").setLogLevel(OFLogger::OFF_LOG_LEVEL);
    OFLog::getLogger("dcmtk.dcmdata").setLogLevel(OFLogger::ERROR_LOG_LEVEL);
  });
}

std::vector<std::string> uncompressedSyntaxes() {
  return {UID_LittleEndianExplicitTransferSyntax, UID_LittleEndianImplicitTransferSyntax};
}

Scu::Scu(const Node& node) : node_(node) {
  quietDcmtkNetworkLog();
  checkAeTitle(node.called_aet, node.label() + ": called AE title");
  checkAeTitle(node.calling_aet, node.label() + ": calling AE title");
  setAETitle(node.calling_aet.c_str());
  setPeerAETitle(node.called_aet.c_str());
  setPeerHostName(node.host.c_str());
  setPeerPort(static_cast<Uint16>(node.port));
  setConnectionTimeout(node.timeout_s);
  setACSETimeout(static_cast<Uint32>(node.timeout_s));
  setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  setDIMSETimeout(static_cast<Uint32>(node.timeout_s));
  setVerbosePCMode(OFFalse);
}

Scu::~Scu() {
  if (isConnected()) abortAssociation();
}

void Scu::open(const std::vector<Context>& contexts) {
  for (const auto& c : contexts) {
    OFList<OFString> ts;
    for (const auto& t : c.transfer_syntaxes) ts.push_back(t.c_str());
    addPresentationContext(c.abstract_syntax.c_str(), ts, c.role);
  }
  OFCondition cond = initNetwork();
  if (cond.bad()) throw InputError(node_.label(), std::string("cannot set up the network: ") + cond.text());
  cond = negotiateAssociation();
  if (cond.good()) return;
  const std::string where = node_.host + ":" + std::to_string(node_.port);
  const std::string text = cond.text();
  if (cond == DUL_ASSOCIATIONREJECTED) {
    throw InputError(node_.label(), "the node rejected the association: check its AE title ('" + node_.called_aet +
                                        "') and that it knows ours ('" + node_.calling_aet + "')");
  }
  if (cond == NET_EC_NoAcceptablePresentationContexts) {
    throw InputError(node_.label(), "the node accepts none of the services LungLens asked for");
  }
  if (text.find("refused") != std::string::npos) {
    throw InputError(node_.label(), "nothing answers at " + where +
                                        " (connection refused): check the port and that the server is running");
  }
  if (text.find("timed out") != std::string::npos || text.find("Timeout") != std::string::npos ||
      cond == DUL_READTIMEOUT) {
    throw InputError(node_.label(), "no answer from " + where + " within " + std::to_string(node_.timeout_s) +
                                        " s: check the host, the port and any firewall");
  }
  if (text.find("Unknown host") != std::string::npos || text.find("unknown host") != std::string::npos ||
      text.find("not known") != std::string::npos) {
    throw InputError(node_.label(), "unknown host '" + node_.host + "'");
  }
  if (cond == DUL_PEERABORTEDASSOCIATION || cond == DUL_PEERREQUESTEDRELEASE) {
    throw InputError(node_.label(), "the node closed the connection while negotiating (is " + where +
                                        " a DICOM port?)");
  }
  throw InputError(node_.label(), "cannot open an association with " + where + ": " + oneLine(text.c_str()));
}

T_ASC_PresentationContextID Scu::contextFor(const std::string& abstract_syntax, const std::string& what) {
  const T_ASC_PresentationContextID id = findAnyPresentationContextID(abstract_syntax.c_str(), "");
  if (id == 0) throw InputError(node_.label(), "the node does not offer " + what);
  return id;
}


std::string Scu::failure(const OFCondition& cond, const std::string& what) const {
  if (cond == DUL_PEERABORTEDASSOCIATION || cond == DUL_PEERREQUESTEDRELEASE || cond == DIMSE_READPDVFAILED ||
      cond == DUL_NETWORKCLOSED || cond == DIMSE_RECEIVEFAILED || cond == DIMSE_SENDFAILED) {
    return what + " failed: the node closed the connection (" + oneLine(cond.text()) + ")";
  }
  if (cond == DIMSE_NODATAAVAILABLE || cond == DUL_READTIMEOUT) {
    return what + " failed: no answer from the node within " + std::to_string(node_.timeout_s) + " s";
  }
  return what + " failed: " + oneLine(cond.text());
}

}  // namespace lunglens::core::pacs::detail
