#include "app/gui/demo_study.h"

#include "core/phantom/demo_study.h"

namespace lunglens::gui {

std::filesystem::path demoStudyDir(const core::CancelToken& cancel) {
  // Made by the phantom generator on first use, reused afterwards; its DICOM series is in dicom/ (beside the
  // truth files, which the viewer need not scan).
  const std::filesystem::path study = core::phantom::ensureDemoStudy(cancel);
  const std::filesystem::path dicom = study / "dicom";
  return std::filesystem::is_directory(dicom) ? dicom : study;
}

}  // namespace lunglens::gui
