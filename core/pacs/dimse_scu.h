#pragma once
// An association with a node, opened with clear errors: DCMTK's conditions become sentences a reader can act on.
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>

#include <string>
#include <vector>

#include "core/pacs/node.h"

namespace lunglens::core::pacs::detail {

struct Context {
  std::string abstract_syntax;
  std::vector<std::string> transfer_syntaxes;
  T_ASC_SC_ROLE role = ASC_SC_ROLE_DEFAULT;
};

class Scu : public DcmSCU {
 public:
  explicit Scu(const Node& node);
  ~Scu() override;
  // Negotiates an association proposing `contexts`. Throws InputError with the reason.
  void open(const std::vector<Context>& contexts);
  // Throws InputError unless the node accepted `abstract_syntax`; returns its presentation context ID.
  T_ASC_PresentationContextID contextFor(const std::string& abstract_syntax, const std::string& what);
  // The message for a failed DIMSE exchange (`what` is "C-FIND", ...).
  std::string failure(const OFCondition& cond, const std::string& what) const;
  const Node& node() const { return node_; }

 private:
  Node node_;
};

// The uncompressed transfer syntaxes every context offers.
std::vector<std::string> uncompressedSyntaxes();
// Silences DCMTK's network logger (its lines would duplicate our messages on stderr).
void quietDcmtkNetworkLog();

}  // namespace lunglens::core::pacs::detail
