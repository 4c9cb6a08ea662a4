#pragma once
// DIMSE through DCMTK: C-ECHO, C-FIND (Study Root, study and series level), C-GET (the node sends the objects back
// on our own association, so no storage port of ours has to be reachable from it) and C-STORE.
//
// Every call opens one association and closes it. Errors are InputError naming the node, worded for the reader:
// nothing answering at the port, an AE title the node refuses, a timeout, a transfer the node broke off.
#include <filesystem>
#include <string>
#include <vector>

#include "core/pacs/node.h"
#include "core/pacs/query.h"

namespace lunglens::core::pacs {

// C-ECHO. Returns normally when the node answered with success.
void echo(const Node& node);

// C-FIND at the query's level. Throws InputError for a bad query (dates) or a node that fails.
std::vector<Match> find(const Node& node, const Query& query);

// C-GET of a series (series_uid given) or of a whole study (series_uid empty) into `destination`, a folder that
// must not exist yet. Files arrive in a staging folder beside it and are moved into place once all have arrived;
// on any failure or cancel nothing is left behind (see staging.h). Returns the number of files retrieved.
int retrieve(const Node& node, const std::string& study_uid, const std::string& series_uid,
             const std::filesystem::path& destination, const TransferOptions& options = {});

// C-STORE of DICOM files (each with its own SOP class and transfer syntax). Stops at the first refused file
// and throws InputError naming it. Returns the number of files stored.
int store(const Node& node, const std::vector<std::filesystem::path>& files, const TransferOptions& options = {});

}  // namespace lunglens::core::pacs
