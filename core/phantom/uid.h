#pragma once
// Deterministic DICOM UIDs: "2.25." followed by a 128-bit hash (as a decimal integer) of a key, so regenerating
// a phantom with the same seed and parameters yields the same study, series and instance UIDs.
#include <string>

namespace lunglens::core::phantom {

std::string derivedUid(const std::string& key);

}  // namespace lunglens::core::phantom
