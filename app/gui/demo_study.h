#pragma once
// Where the bundled demo study lives (a phantom series made on first use, then reused).
#include <filesystem>

namespace lunglens::gui {

// Returns the folder holding the demo study, making it first if needed.
// Throws core::InputError when the demo study cannot be provided.
std::filesystem::path demoStudyDir();

}  // namespace lunglens::gui
