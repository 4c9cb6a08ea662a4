#pragma once
// Reading JSON from outside (model manifests, AI results, annotations, library notes) so that bad input keeps to
// its promise: a bounded nesting depth (a document nested 200,000 levels deep must not exhaust the stack of any
// code that walks it), numbers that overflow a double rejected, every problem an InputError naming the file.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace lunglens::core {

// Deeper than any document LungLens writes or reads (manifests nest 5 levels, annotations 6).
constexpr int kJsonMaxDepth = 64;
// Larger than any JSON file LungLens reads (a 1,000-slice AI results file is ~2 MB).
constexpr std::size_t kJsonMaxBytes = 64u << 20;

// Parses `text`; throws InputError(context, "<what>: not valid JSON: ...") on a syntax error, a number out of a
// double's range (1e400), or nesting deeper than `max_depth` ("nested deeper than 64 levels").
nlohmann::json parseJsonText(const std::string& text, const std::string& context, const std::string& what,
                             int max_depth = kJsonMaxDepth);

// The bytes of a regular file of at most `max_bytes`. A FIFO, device or folder of that name, a missing or
// unreadable file, or a larger one: InputError(file, "<what>: ..."). Never blocks on a FIFO (it is not opened).
std::string readRegularFile(const std::filesystem::path& file, const std::string& what,
                            std::size_t max_bytes = kJsonMaxBytes);

}  // namespace lunglens::core
