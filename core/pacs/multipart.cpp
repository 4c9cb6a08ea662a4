#include "core/pacs/multipart.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "core/common/error.h"

namespace lunglens::core::pacs::detail {

MultipartReader::MultipartReader(std::string boundary, OnPart on_part)
    : boundary_(std::move(boundary)), on_part_(std::move(on_part)) {}

void MultipartReader::feed(const char* data, std::size_t size) {
  if (state_ == State::Done) return;  // the epilogue is ignored
  buffer_.append(data, size);
  parse();
}

void MultipartReader::parse() {
  if (state_ == State::Preamble) {
    const auto eol = buffer_.find("\r\n");
    if (eol == std::string::npos) {
      if (buffer_.size() > 4096) throw InputError("DICOMweb", "the answer is not multipart (no boundary line)");
      return;
    }
    if (boundary_.empty()) {
      if (buffer_.compare(0, 2, "--") != 0) throw InputError("DICOMweb", "the answer is not multipart");
      boundary_ = buffer_.substr(2, eol - 2);
      while (!boundary_.empty() && std::isspace(static_cast<unsigned char>(boundary_.back()))) boundary_.pop_back();
      buffer_.erase(0, eol + 2);
    } else {
      const auto first = buffer_.find("--" + boundary_ + "\r\n");
      if (first == std::string::npos) {
        if (buffer_.size() > 4096) throw InputError("DICOMweb", "the answer does not start with its boundary");
        return;
      }
      buffer_.erase(0, first + boundary_.size() + 4);
    }
    state_ = State::Parts;
  }
  const std::string delimiter = "\r\n--" + boundary_;
  while (state_ == State::Parts) {
    const auto end = buffer_.find(delimiter);
    if (end == std::string::npos || buffer_.size() < end + delimiter.size() + 2) return;  // wait for more
    const auto headersEnd = buffer_.find("\r\n\r\n");
    std::string contentType;
    std::size_t bodyStart = 0;
    if (buffer_.compare(0, 2, "\r\n") == 0) {
      bodyStart = 2;  // a part with no headers
    } else if (headersEnd != std::string::npos && headersEnd < end) {
      std::string headers = buffer_.substr(0, headersEnd);
      std::string lower = headers;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      const auto ct = lower.find("content-type:");
      if (ct != std::string::npos) {
        const auto eol = headers.find("\r\n", ct);
        contentType = headers.substr(ct + 13, eol == std::string::npos ? std::string::npos : eol - ct - 13);
        contentType.erase(0, contentType.find_first_not_of(" \t"));
      }
      bodyStart = headersEnd + 4;
    } else {
      throw InputError("DICOMweb", "a multipart part has no header end");
    }
    std::string body = buffer_.substr(bodyStart, end - bodyStart);
    const std::string after = buffer_.substr(end + delimiter.size(), 2);
    buffer_.erase(0, end + delimiter.size() + 2);
    ++parts_;
    on_part_(contentType, std::move(body));
    if (after == "--") {
      state_ = State::Done;
      buffer_.clear();
    }
  }
}

std::string boundaryOf(const std::string& content_type) {
  std::string lower = content_type;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto at = lower.find("boundary=");
  if (at == std::string::npos) return "";
  std::string b = content_type.substr(at + 9);
  if (!b.empty() && b.front() == '"') {
    const auto close = b.find('"', 1);
    return b.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  return b.substr(0, b.find_first_of("; \t"));
}

std::string writeMultipart(const std::vector<std::string>& bodies, const std::string& type, std::string& content_type) {
  std::random_device rd;
  const std::string boundary = "lunglens-" + std::to_string(rd()) + "-" + std::to_string(rd());
  content_type = "multipart/related; type=\"" + type + "\"; boundary=" + boundary;
  std::string out;
  for (const auto& b : bodies) {
    out += "--" + boundary + "\r\nContent-Type: " + type + "\r\n\r\n";
    out += b;
    out += "\r\n";
  }
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace lunglens::core::pacs::detail
