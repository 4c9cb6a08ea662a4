#include "app/gui/demo_study.h"

#include "core/common/error.h"

namespace lunglens::gui {

std::filesystem::path demoStudyDir(const core::CancelToken&) {
  // The phantom generator (core/phantom) will write the demo study here on first use.
  throw core::InputError("--demo", "the demo study is not available in this build yet (the phantom generator in "
                                   "core/phantom is still being written); open a DICOM folder instead");
}

}  // namespace lunglens::gui
