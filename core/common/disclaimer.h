#pragma once
// The disclaimer every AI output carries: one wording, one literal (viewer, quiz, exported images and their file
// metadata, DICOM derivations, reports, CLI output and help).
#include <string>

namespace lunglens::core {

inline constexpr char kDisclaimer[] = "Reading aid \u2014 not for diagnostic use";

// kDisclaimer, with the training caveat when a model behind the scores was trained on synthetic phantoms:
// "Reading aid — not for diagnostic use. Model trained on synthetic phantoms."
std::string disclaimer(bool trainedOnSynthetic);

}  // namespace lunglens::core
