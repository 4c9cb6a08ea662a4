#pragma once
// Errors in core are exceptions that carry their context (the file, bundle or field concerned).
// They become a message at the boundary: a dialog in the GUI, an exit code in the CLI.
#include <stdexcept>
#include <string>

namespace lunglens::core {

// Bad input: a file, folder, model bundle or argument that cannot be used. CLI exit code 1.
class InputError : public std::runtime_error {
 public:
  InputError(std::string context, const std::string& message);
  const std::string& context() const noexcept { return context_; }

 private:
  std::string context_;
};

// Work stopped because its caller cancelled it; never shown as an error.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

// Something inside LungLens went wrong (a broken invariant). CLI exit code 3.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace lunglens::core
