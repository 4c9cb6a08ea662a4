#include "core/dicom/image_number.h"

#include <algorithm>
#include <set>

#include "core/common/error.h"

namespace lunglens::core::dicom {

namespace {

std::vector<int> instanceNumbersOf(const SeriesInfo& series) {
  std::vector<int> out;
  out.reserve(series.slices.size());
  for (const SliceRef& s : series.slices) out.push_back(s.instance_number);
  return out;
}

// Every slice a frame of one file (the same file and SOP instance), and not just frame 1 of it alone.
bool framesOfOneFile(const SeriesInfo& series) {
  if (series.slices.empty()) return false;
  const SliceRef& first = series.slices.front();
  bool beyondFirstFrame = false;
  for (const SliceRef& s : series.slices) {
    if (s.path != first.path || s.sop_instance_uid != first.sop_instance_uid) return false;
    beyondFirstFrame = beyondFirstFrame || s.frame > 0;
  }
  return beyondFirstFrame;
}

int parseInt(const std::string& text, const std::string& whole) {
  std::size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size()) {
    throw InputError("--slice", "'" + whole + "' is neither a slice index (N, 0 = lowest) nor an image number (im:N)");
  }
  return v;
}

}  // namespace

bool usesInstanceNumbers(const std::vector<int>& numbers) {
  if (numbers.empty()) return false;
  std::set<int> seen;
  for (int n : numbers) {
    if (n <= 0 || !seen.insert(n).second) return false;
  }
  return true;
}

std::vector<int> imageNumbers(const std::vector<int>& instanceNumbers) {
  if (usesInstanceNumbers(instanceNumbers)) return instanceNumbers;
  std::vector<int> out(instanceNumbers.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<int>(i) + 1;
  return out;
}

Numbering numberingOf(const SeriesInfo& series) {
  if (framesOfOneFile(series)) return Numbering::FrameNumber;
  return usesInstanceNumbers(instanceNumbersOf(series)) ? Numbering::InstanceNumber : Numbering::Position;
}

std::string numberingName(Numbering numbering) {
  switch (numbering) {
    case Numbering::InstanceNumber: return "DICOM InstanceNumber";
    case Numbering::FrameNumber: return "frame numbers in the multi-frame file";
    case Numbering::Position: break;
  }
  return "numbered 1.. from the lowest: no InstanceNumbers";
}

std::vector<int> imageNumbers(const SeriesInfo& series) {
  if (numberingOf(series) != Numbering::FrameNumber) return imageNumbers(instanceNumbersOf(series));
  std::vector<int> out;
  out.reserve(series.slices.size());
  for (const SliceRef& s : series.slices) out.push_back(s.frame + 1);
  return out;
}

int imageNumber(const SeriesInfo& series, int z) {
  const std::vector<int> numbers = imageNumbers(series);
  if (z < 0 || z >= static_cast<int>(numbers.size())) return z + 1;
  return numbers[static_cast<std::size_t>(z)];
}

std::string imageLabel(const SeriesInfo& series, int z) { return "Im " + std::to_string(imageNumber(series, z)); }

std::optional<int> sliceOfImageNumber(const SeriesInfo& series, int number) {
  const std::vector<int> numbers = imageNumbers(series);
  const auto it = std::find(numbers.begin(), numbers.end(), number);
  if (it == numbers.end()) return std::nullopt;
  return static_cast<int>(it - numbers.begin());
}

int parseSliceSpec(const SeriesInfo& series, const std::string& text) {
  const int count = static_cast<int>(series.slices.size());
  if (text.rfind("im:", 0) == 0) {
    const int number = parseInt(text.substr(3), text);
    if (const auto z = sliceOfImageNumber(series, number)) return *z;
    const std::vector<int> numbers = imageNumbers(series);
    const auto [lo, hi] = std::minmax_element(numbers.begin(), numbers.end());
    throw InputError("--slice", "no image " + std::to_string(number) + " in the series" +
                                    (numbers.empty() ? std::string()
                                                     : " (images " + std::to_string(*lo) + " to " + std::to_string(*hi) +
                                                           ", " + numberingName(numberingOf(series)) + ")"));
  }
  const int z = parseInt(text, text);
  if (z < 0 || z >= count) {
    throw InputError("--slice", "slice index " + std::to_string(z) + " is outside the series (0.." +
                                    std::to_string(count - 1) + "; use im:N for the DICOM image number)");
  }
  return z;
}

}  // namespace lunglens::core::dicom
