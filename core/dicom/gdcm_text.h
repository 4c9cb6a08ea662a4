#pragma once
// Internal to core/dicom: a data element's value as trimmed text (GDCM keeps string values as raw bytes), decoded
// to UTF-8 by the data set's Specific Character Set (see text_decode.h).
#include <gdcmDataSet.h>

#include <cstdint>
#include <string>

#include "core/dicom/text_decode.h"

namespace lunglens::core::dicom::detail {

// The value's bytes as stored, with DICOM's padding (spaces, or NUL for UIDs) trimmed.
inline std::string rawText(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag)) return {};
  const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() == 0) return {};
  std::string s(bv->GetPointer(), bv->GetLength());
  const auto last = s.find_last_not_of(std::string(" \0", 2));
  if (last == std::string::npos) return {};
  s.erase(last + 1);
  return s.substr(s.find_first_not_of(' '));
}

// The value as UTF-8 text, decoded by the Specific Character Set of `ds` (a nested item states its own or
// inherits none here: the default repertoire, which keeps valid UTF-8 and replaces invalid bytes).
inline std::string text(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element) {
  const std::string raw = rawText(ds, group, element);
  if (raw.empty()) return raw;
  return decodeDicomText(raw, rawText(ds, 0x0008, 0x0005));
}

}  // namespace lunglens::core::dicom::detail
