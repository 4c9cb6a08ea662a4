#pragma once
// gzip compression for the files LungLens writes (labels.nii.gz). Large buffers are compressed in independent
// chunks in parallel and written as a multi-member gzip stream (valid gzip; every reader concatenates the
// members). The output depends only on the bytes, the level and the chunk size, never on the thread count.
#include <filesystem>
#include <string>

namespace lunglens::core::io {

std::string gzipCompress(const std::string& bytes, int level = 6, int threads = 0,
                         std::size_t chunk_bytes = std::size_t(4) << 20);

// Reads a file, gunzipping it when it starts with the gzip magic (all members); plain files are returned as is.
// Throws InputError naming the file when it cannot be read or is corrupt.
std::string readMaybeGzipped(const std::filesystem::path& path);

}  // namespace lunglens::core::io
