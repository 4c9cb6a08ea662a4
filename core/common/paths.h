#pragma once
// Where LungLens finds its own files and keeps the user's.
#include <filesystem>

namespace lunglens::core {

// Folder holding the running executable (for bundled models beside it).
std::filesystem::path executableDir();

// The user's LungLens data folder: $LUNGLENS_DATA_DIR, else $XDG_DATA_HOME/lunglens, else ~/.local/share/lunglens.
// Created on first use.
std::filesystem::path userDataDir();

// Writes `bytes` to `target` atomically: a temporary file beside it, then rename. Throws InputError on failure and
// leaves no partial file behind. Refuses to replace an existing file unless `overwrite`.
void writeFileAtomically(const std::filesystem::path& target, const std::string& bytes, bool overwrite);

}  // namespace lunglens::core
