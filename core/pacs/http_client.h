#pragma once
// Blocking HTTP for DICOMweb, on Qt Network: each call runs a local event loop on the calling thread (a worker
// thread in the GUI, the main thread in the CLI) until the reply ends, the node stops sending for the node's
// timeout, or the cancel token fires. Needs a QCoreApplication to exist (any thread may call).
//
// The password only ever goes into the Authorization header; no message, log or exception carries it.
#include <functional>
#include <map>
#include <string>

#include "core/common/cancel.h"
#include "core/pacs/node.h"

namespace lunglens::core::pacs::detail {

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;  // POST only
  // Called with each chunk as it arrives (the body is then not kept in HttpResponse::body). May be empty.
  std::function<void(const char* data, std::size_t size)> on_data;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Throws InputError for a node that cannot be reached, breaks off, times out or answers 401/403 (worded for the
// reader); other statuses come back in HttpResponse for the caller to judge. Throws Cancelled when cancelled.
HttpResponse httpRequest(const Node& node, const Credentials& credentials, const HttpRequest& request,
                         const CancelToken& cancel = {});

// The message for an unexpected HTTP status, with the start of the node's explanation.
std::string httpStatusMessage(const HttpResponse& response, const std::string& what);

}  // namespace lunglens::core::pacs::detail
