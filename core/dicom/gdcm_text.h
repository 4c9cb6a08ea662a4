#pragma once
// Internal to core/dicom: a data element's value as trimmed text (GDCM keeps string values as raw bytes).
#include <gdcmDataSet.h>

#include <cstdint>
#include <string>

namespace lunglens::core::dicom::detail {

inline std::string text(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag)) return {};
  const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() == 0) return {};
  std::string s(bv->GetPointer(), bv->GetLength());
  // DICOM pads strings with spaces (or NUL for UIDs).
  const auto last = s.find_last_not_of(std::string(" \0", 2));
  if (last == std::string::npos) return {};
  s.erase(last + 1);
  return s.substr(s.find_first_not_of(' '));
}

}  // namespace lunglens::core::dicom::detail
