#pragma once
// SHA-256 of a file or a byte string, as lowercase hex: the checksum a model bundle's manifest records for model.pt.
#include <filesystem>
#include <string>

namespace lunglens::core {

std::string sha256Hex(const std::string& bytes);
// Throws InputError naming the file if it cannot be read.
std::string sha256File(const std::filesystem::path& file);

}  // namespace lunglens::core
