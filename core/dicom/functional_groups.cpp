#include "core/dicom/functional_groups.h"

#include <gdcmSequenceOfItems.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "core/dicom/decimal_values.h"
#include "core/dicom/gdcm_text.h"

namespace lunglens::core::dicom {
namespace {

using detail::numbers;
using detail::text;
using detail::unitOrientation;

// Item `index` of the sequence (group, element) of `ds`, or null.
const gdcm::DataSet* item(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element, std::size_t index,
                          gdcm::SmartPointer<gdcm::SequenceOfItems>& keep) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag)) return nullptr;
  keep = ds.GetDataElement(tag).GetValueAsSQ();
  if (!keep || keep->GetNumberOfItems() <= index) return nullptr;
  return &keep->GetItem(index + 1).GetNestedDataSet();  // GDCM numbers items from 1
}

// The first item of macro sequence (group, element) inside one functional groups item, or null.
const gdcm::DataSet* macro(const gdcm::DataSet* groups, std::uint16_t group, std::uint16_t element,
                           gdcm::SmartPointer<gdcm::SequenceOfItems>& keep) {
  return groups ? item(*groups, group, element, 0, keep) : nullptr;
}

std::optional<std::array<double, 6>> orientationIn(const gdcm::DataSet* d) {
  if (!d) return std::nullopt;
  return unitOrientation(numbers(text(*d, 0x0020, 0x0037)));
}

std::optional<std::array<double, 3>> positionIn(const gdcm::DataSet* d) {
  if (!d) return std::nullopt;
  const auto v = numbers(text(*d, 0x0020, 0x0032));
  if (v.size() != 3) return std::nullopt;
  return std::array<double, 3>{v[0], v[1], v[2]};
}

std::optional<std::array<double, 2>> spacingIn(const gdcm::DataSet* d) {
  if (!d) return std::nullopt;
  const auto v = numbers(text(*d, 0x0028, 0x0030));
  if (v.size() != 2 || !(v[0] > 0) || !(v[1] > 0)) return std::nullopt;
  return std::array<double, 2>{v[0], v[1]};
}

std::optional<std::array<double, 2>> rescaleIn(const gdcm::DataSet* d) {
  if (!d) return std::nullopt;
  const auto intercept = numbers(text(*d, 0x0028, 0x1052)), slope = numbers(text(*d, 0x0028, 0x1053));
  if (intercept.size() != 1 || slope.size() != 1 || slope[0] == 0.0) return std::nullopt;
  return std::array<double, 2>{slope[0], intercept[0]};
}

// What one functional groups item (shared or one frame's) says.
FileHeader::FrameInfo infoIn(const gdcm::DataSet* groups, double* thickness) {
  gdcm::SmartPointer<gdcm::SequenceOfItems> a, b, c, d;
  FileHeader::FrameInfo f;
  f.position_mm = positionIn(macro(groups, 0x0020, 0x9113, a));
  f.orientation = orientationIn(macro(groups, 0x0020, 0x9116, b));
  const gdcm::DataSet* measures = macro(groups, 0x0028, 0x9110, c);
  f.pixel_spacing_mm = spacingIn(measures);
  f.slope_intercept = rescaleIn(macro(groups, 0x0028, 0x9145, d));
  if (thickness && measures) {
    if (const auto t = numbers(text(*measures, 0x0018, 0x0050)); t.size() == 1 && t[0] > 0) *thickness = t[0];
  }
  return f;
}

}  // namespace

void readFunctionalGroups(const gdcm::DataSet& ds, FileHeader& h) {
  const gdcm::Tag sharedTag(0x5200, 0x9229), perFrameTag(0x5200, 0x9230);
  if (!ds.FindDataElement(sharedTag) && !ds.FindDataElement(perFrameTag)) return;
  gdcm::SmartPointer<gdcm::SequenceOfItems> keepShared, keepPerFrame;
  double thickness = 0.0;
  const FileHeader::FrameInfo shared = infoIn(item(ds, 0x5200, 0x9229, 0, keepShared), &thickness);
  if (!h.orientation) h.orientation = shared.orientation;
  if (!h.pixel_spacing_mm) h.pixel_spacing_mm = shared.pixel_spacing_mm;
  if (h.slice_thickness_mm <= 0) h.slice_thickness_mm = thickness;
  h.frame_info.clear();
  for (int k = 0; k < h.frames; ++k) {
    gdcm::SmartPointer<gdcm::SequenceOfItems> keep;
    FileHeader::FrameInfo f = infoIn(item(ds, 0x5200, 0x9230, static_cast<std::size_t>(k), keep), nullptr);
    if (!f.position_mm) f.position_mm = shared.position_mm;
    if (!f.orientation) f.orientation = shared.orientation ? shared.orientation : h.orientation;
    if (!f.pixel_spacing_mm) f.pixel_spacing_mm = shared.pixel_spacing_mm ? shared.pixel_spacing_mm : h.pixel_spacing_mm;
    if (!f.slope_intercept) f.slope_intercept = shared.slope_intercept;
    h.frame_info.push_back(f);
  }
  // The top level stands for frame 0 (what a single-frame reader of this file would see).
  if (!h.position_mm && !h.frame_info.empty()) h.position_mm = h.frame_info.front().position_mm;
}

std::string whyFramesUnusable(const FileHeader& h) {
  if (h.frames <= 1) return {};
  const std::string many = "multi-frame image (" + std::to_string(h.frames) + " frames): ";
  if (h.frame_info.empty())
    return many + "no functional groups (Per-frame Functional Groups Sequence) to place the frames in space";
  for (std::size_t k = 0; k < h.frame_info.size(); ++k) {
    if (!h.frame_info[k].position_mm)
      return many + "frame " + std::to_string(k + 1) + " has no position (Plane Position Sequence)";
    if (!h.frame_info[k].orientation)
      return many + "frame " + std::to_string(k + 1) + " has no orientation (Plane Orientation Sequence)";
  }
  return {};
}

std::vector<FileHeader> splitFrames(const FileHeader& h) {
  if (h.frames <= 1) return {h};
  std::vector<FileHeader> out;
  const std::uint64_t frameBytes = std::uint64_t(h.rows) * std::uint64_t(h.cols) * 2;
  for (int k = 0; k < h.frames; ++k) {
    const FileHeader::FrameInfo& f = h.frame_info[static_cast<std::size_t>(k)];
    FileHeader one = h;
    one.frame_info.clear();
    one.frames = 1;
    one.frame = k;
    one.position_mm = f.position_mm;
    one.orientation = f.orientation;
    if (f.pixel_spacing_mm) one.pixel_spacing_mm = f.pixel_spacing_mm;
    if (f.slope_intercept) {
      one.raw.slope = (*f.slope_intercept)[0];
      one.raw.intercept = (*f.slope_intercept)[1];
    }
    if (h.raw.offset != 0) one.raw.offset = h.raw.offset + frameBytes * static_cast<std::uint64_t>(k);
    out.push_back(std::move(one));
  }
  return out;
}

}  // namespace lunglens::core::dicom
