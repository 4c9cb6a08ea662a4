#pragma once
// The bundled demo study: a COVID-19 phantom with GGO, consolidation and fibrotic streaks, generated into the
// user's data folder on first use (no DICOM files ship with LungLens) and reused afterwards.
#include <filesystem>

#include "core/common/cancel.h"
#include "core/phantom/params.h"

namespace lunglens::core::phantom {

PhantomParams demoParams();

// Returns the demo study folder (userDataDir()/demo/covid-phantom, holding dicom/, truth.json, labels.nii.gz).
// Generates it when missing, incomplete, or made by another generator version; otherwise returns at once.
// Generation writes to a temporary folder and renames it into place, so a crash never leaves a half study.
std::filesystem::path ensureDemoStudy(const CancelToken& cancel = CancelToken());

}  // namespace lunglens::core::phantom
