#pragma once
// DICOMweb: QIDO-RS (search), WADO-RS (retrieve a series or study as multipart/related application/dicom) and
// STOW-RS (store), over the node's base URL with HTTP Basic authentication when credentials are given.
// Same contracts as the DIMSE calls in dimse.h (errors, staging, progress, cancel); see http_client.h for threads.
#include <filesystem>
#include <string>
#include <vector>

#include "core/pacs/node.h"
#include "core/pacs/query.h"

namespace lunglens::core::pacs {

// A cheap authenticated QIDO-RS request (/studies?limit=1): checks the URL, the plugin and the credentials.
void webEcho(const Node& node, const Credentials& credentials);

std::vector<Match> webFind(const Node& node, const Credentials& credentials, const Query& query);

// WADO-RS of a series (or the whole study when series_uid is empty) into `destination` (must not exist).
int webRetrieve(const Node& node, const Credentials& credentials, const std::string& study_uid,
                const std::string& series_uid, const std::filesystem::path& destination,
                const TransferOptions& options = {});

// STOW-RS of DICOM files, grouped in one request per study. Returns the number the node stored; throws
// InputError naming what it refused.
int webStore(const Node& node, const Credentials& credentials, const std::vector<std::filesystem::path>& files,
             const TransferOptions& options = {});

}  // namespace lunglens::core::pacs
