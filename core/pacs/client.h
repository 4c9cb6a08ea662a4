#pragma once
// One front for both protocols, so the CLI and the UI say "find on this node" and the node's chosen protocol
// (DIMSE or DICOMweb) decides how.
#include <filesystem>
#include <string>
#include <vector>

#include "core/pacs/dicomweb.h"
#include "core/pacs/dimse.h"

namespace lunglens::core::pacs {

struct Connection {
  Node node;
  Protocol protocol = Protocol::Dimse;
  Credentials credentials;  // DICOMweb only
};

void echo(const Connection& c);
std::vector<Match> find(const Connection& c, const Query& query);
int retrieve(const Connection& c, const std::string& study_uid, const std::string& series_uid,
             const std::filesystem::path& destination, const TransferOptions& options = {});
int store(const Connection& c, const std::vector<std::filesystem::path>& files, const TransferOptions& options = {});

const char* protocolName(Protocol p);

}  // namespace lunglens::core::pacs
