#pragma once
// Where the bundled demo study lives (a phantom series made on first use, then reused).
#include <filesystem>

#include "core/common/cancel.h"

namespace lunglens::gui {

// Returns the folder holding the demo study, making it first if needed (slow the first time: run it off the UI
// thread). Throws core::InputError when the demo study cannot be provided, core::Cancelled if cancelled.
std::filesystem::path demoStudyDir(const core::CancelToken& cancel = core::CancelToken());

}  // namespace lunglens::gui
