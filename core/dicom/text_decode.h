#pragma once
// DICOM text as UTF-8. Text attributes are bytes in the file's Specific Character Set (0008,0005): Latin-1,
// Cyrillic, Japanese, UTF-8, ... Everything LungLens shows or writes (JSON, reports, the library) is UTF-8, and a
// byte that is not valid in the declared set (a damaged file, a wrong declaration) must not reach a JSON writer,
// which refuses invalid UTF-8 (that was `series --json` exiting 3 on one flipped byte).
#include <string>

namespace lunglens::core::dicom {

// `bytes` decoded from `specific_character_set` (the attribute's raw value, e.g. "ISO_IR 100" or
// "\\ISO 2022 IR 87") to UTF-8. Each byte or sequence that is invalid in that set becomes U+FFFD. The default
// repertoire (no or an unknown declaration) keeps valid UTF-8 as it is (files often hold it undeclared) and replaces
// anything else. Never throws.
std::string decodeDicomText(const std::string& bytes, const std::string& specific_character_set);

// `text` with every byte sequence that is not valid UTF-8 replaced by U+FFFD (for text from other sources, such
// as file names, that goes into JSON).
std::string validUtf8(const std::string& text);

}  // namespace lunglens::core::dicom
