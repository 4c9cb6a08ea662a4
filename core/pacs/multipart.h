#pragma once
// A streaming reader and a writer for multipart/related bodies (RFC 2046), as WADO-RS answers and STOW-RS sends:
// parts are handed over as soon as each is complete, so a series is written instance by instance while it arrives.
#include <functional>
#include <string>
#include <vector>

namespace lunglens::core::pacs::detail {

class MultipartReader {
 public:
  using OnPart = std::function<void(const std::string& content_type, std::string&& body)>;
  // `boundary` empty: taken from the body's first line ("--BOUNDARY").
  MultipartReader(std::string boundary, OnPart on_part);
  // Throws InputError for a body that is not multipart.
  void feed(const char* data, std::size_t size);
  bool complete() const { return state_ == State::Done; }
  int parts() const { return parts_; }

 private:
  enum class State { Preamble, Parts, Done };
  void parse();
  std::string boundary_, buffer_;
  OnPart on_part_;
  State state_ = State::Preamble;
  int parts_ = 0;
};

// The boundary parameter of a Content-Type header ("" if none).
std::string boundaryOf(const std::string& content_type);

// A multipart/related body of `type` parts; returns the body and sets `content_type` to the header to send.
std::string writeMultipart(const std::vector<std::string>& bodies, const std::string& type, std::string& content_type);

}  // namespace lunglens::core::pacs::detail
