#include "core/dicom/file_header.h"

#include <gdcmImageHelper.h>
#include <gdcmReader.h>
#include <gdcmTrace.h>

#include "core/common/allocation_limit.h"
#include "core/dicom/abort_guard.h"
#include "core/dicom/decimal_values.h"
#include "core/dicom/functional_groups.h"
#include "core/dicom/gdcm_text.h"
#include "core/dicom/length_check.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>

namespace fs = std::filesystem;

namespace lunglens::core::dicom {
namespace {

using detail::numbers;
using detail::splitValues;
using detail::text;
using detail::unitOrientation;
const gdcm::Tag kPixelData(0x7fe0, 0x0010);

int integer(const std::string& s, int fallback) {
  const auto v = numbers(s);
  return v.empty() ? fallback : static_cast<int>(std::lround(v[0]));
}

std::vector<volume::Window> windowsFrom(const gdcm::DataSet& ds) {
  const auto centres = numbers(text(ds, 0x0028, 0x1050));
  const auto widths = numbers(text(ds, 0x0028, 0x1051));
  const auto names = splitValues(text(ds, 0x0028, 0x1055));
  std::vector<volume::Window> out;
  for (std::size_t i = 0; i < std::min(centres.size(), widths.size()); ++i) {
    if (!(widths[i] >= 1.0)) continue;
    volume::Window w{widths[i], centres[i], i < names.size() ? names[i] : std::string()};
    bool seen = false;
    for (const auto& o : out) seen = seen || (o.width == w.width && o.level == w.level);
    if (!seen) out.push_back(w);
  }
  return out;
}

std::uint32_t readU32(const unsigned char* p, bool bigEndian) {
  return bigEndian ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3])
                   : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]);
}

// The reader stopped right after the pixel data element's header (tag, VR, length): read that header back to learn
// whether the element is there and whether the file holds all of it. Encapsulated (compressed) data is checked when
// it is decoded.
void inspectPixelData(const fs::path& path, std::size_t valueOffset, const gdcm::TransferSyntax& ts, FileHeader& h) {
  if (valueOffset == static_cast<std::size_t>(-1)) return;  // the data set ended: no pixel data
  if (ts == gdcm::TransferSyntax::DeflatedExplicitVRLittleEndian) {
    h.has_pixel_data = true;  // offsets are into the inflated stream; decoding will tell
    return;
  }
  const bool implicit = ts.IsImplicit();
  const std::size_t headerBytes = implicit ? 8 : 12;
  if (valueOffset < headerBytes) return;
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  unsigned char b[12] = {};
  in.seekg(static_cast<std::streamoff>(valueOffset - headerBytes));
  in.read(reinterpret_cast<char*>(b), static_cast<std::streamsize>(headerBytes));
  if (in.gcount() != static_cast<std::streamsize>(headerBytes)) return;
  const bool big = ts.GetSwapCode() == gdcm::SwapCode::BigEndian;
  const bool isPixelData = big ? (b[0] == 0x7f && b[1] == 0xe0 && b[2] == 0x00 && b[3] == 0x10)
                               : (b[0] == 0xe0 && b[1] == 0x7f && b[2] == 0x10 && b[3] == 0x00);
  if (!isPixelData) return;
  h.has_pixel_data = true;
  const std::uint32_t vl = implicit ? readU32(b + 4, big) : readU32(b + 8, big);
  if (vl == 0xffffffffu) return;  // encapsulated
  const std::uint64_t expected = std::uint64_t(h.rows) * std::uint64_t(h.cols) * std::uint64_t(std::max(1, h.frames)) *
                                 std::uint64_t(h.samples_per_pixel) * std::uint64_t(h.bits_allocated) / 8;
  h.pixel_data_truncated = size < valueOffset + vl || vl < expected;
  const bool littleEndianNative =
      ts == gdcm::TransferSyntax::ImplicitVRLittleEndian || ts == gdcm::TransferSyntax::ExplicitVRLittleEndian;
  if (littleEndianNative && !h.pixel_data_truncated && h.bits_allocated == 16 && h.samples_per_pixel == 1) {
    h.raw.offset = valueOffset;
  }
}

// The first value of a US attribute (GDCM's own helpers assert on some values: read it ourselves first). GDCM
// keeps binary values of big-endian files swapped to little endian in memory.
std::optional<int> usValue(const gdcm::DataSet& ds, std::uint16_t group, std::uint16_t element) {
  const gdcm::Tag tag(group, element);
  if (!ds.FindDataElement(tag)) return std::nullopt;
  const gdcm::ByteValue* bv = ds.GetDataElement(tag).GetByteValue();
  if (!bv || bv->GetLength() < 2) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(bv->GetPointer());
  return p[1] << 8 | p[0];
}

// Attributes GDCM's PixelFormat asserts on (an abort in the middle of a folder scan, or of the viewer): refused
// here, before they reach it. Empty when the file may go on to GDCM.
std::string whyBadPixelFormat(const gdcm::DataSet& ds) {
  if (const auto spp = usValue(ds, 0x0028, 0x0002); spp && *spp != 1 && *spp != 3 && *spp != 4)
    return "damaged DICOM file: Samples per Pixel is " + std::to_string(*spp) + " (must be 1, 3 or 4)";
  const auto allocated = usValue(ds, 0x0028, 0x0100);
  if (allocated && *allocated > 64 && *allocated != 0xff && *allocated != 0xfff && *allocated != 0xffff)
    return "damaged DICOM file: Bits Allocated is " + std::to_string(*allocated);
  return {};
}

std::string whyUnreadable(const fs::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "cannot open the file";
  if (in.tellg() == 0) return "empty file";
  char magic[4] = {};
  in.seekg(128);
  in.read(magic, 4);
  if (in.gcount() == 4 && std::string(magic, 4) == "DICM") {
    return "damaged DICOM file: the header cannot be read (truncated or corrupt)";
  }
  return "not a DICOM file (no DICOM header that GDCM can read)";
}

}  // namespace

void quietGdcm() {
  static std::once_flag once;
  std::call_once(once, [] {
    gdcm::Trace::WarningOff();
    gdcm::Trace::ErrorOff();
    gdcm::Trace::DebugOff();
  });
}

bool isDicomdirClass(const std::string& sop_class_uid) { return sop_class_uid == "1.2.840.10008.1.3.10"; }

HeaderResult readFileHeader(const fs::path& path) {
  quietGdcm();
  HeaderResult result;
  // Before GDCM allocates any value: every declared length must fit in the file (see length_check.h).
  if (std::string why = checkDeclaredLengths(path, LengthScope::UpToPixelData); !why.empty()) {
    result.error = std::move(why);
    return result;
  }
  // And whatever GDCM's parser comes to believe about a damaged file, no single allocation beyond the bound.
  std::error_code sizeError;
  const AllocationLimit limit(readingLimitFor(fs::file_size(path, sizeError)));
  try {
    // On the heap so that after a guarded abort it can be leaked instead of destroyed in an unknown state.
    std::unique_ptr<gdcm::Reader> reader(new gdcm::Reader);
    reader->SetFileName(path.c_str());
    bool read = false;
    if (!runGuardedAgainstAbort([&] { read = reader->ReadUpToTag(kPixelData, {kPixelData}); })) {
      reader.release();  // abandoned mid-parse: leaked on purpose, never destroyed
      result.error = "damaged DICOM file: GDCM gave up on its structure";
      return result;
    }
    if (!read) {
      result.error = whyUnreadable(path);
      return result;
    }
    const gdcm::File& file = reader->GetFile();
    const gdcm::DataSet& ds = file.GetDataSet();
    if (std::string why = whyBadPixelFormat(ds); !why.empty()) {
      result.error = std::move(why);
      return result;
    }
    FileHeader h;
    h.path = path.string();
    h.sop_class_uid = text(ds, 0x0008, 0x0016);
    if (h.sop_class_uid.empty()) h.sop_class_uid = text(file.GetHeader(), 0x0002, 0x0002);
    h.sop_instance_uid = text(ds, 0x0008, 0x0018);
    h.study_uid = text(ds, 0x0020, 0x000d);
    h.series_uid = text(ds, 0x0020, 0x000e);
    h.frame_of_reference_uid = text(ds, 0x0020, 0x0052);
    h.modality = text(ds, 0x0008, 0x0060);
    const gdcm::TransferSyntax& ts = file.GetHeader().GetDataSetTransferSyntax();
    h.transfer_syntax_uid = gdcm::TransferSyntax::GetTSString(ts) ? gdcm::TransferSyntax::GetTSString(ts) : "";
    h.image_type = text(ds, 0x0008, 0x0008);
    h.photometric = text(ds, 0x0028, 0x0004);
    h.patient_name = text(ds, 0x0010, 0x0010);
    h.patient_id = text(ds, 0x0010, 0x0020);
    h.patient_birth_date = text(ds, 0x0010, 0x0030);
    h.patient_sex = text(ds, 0x0010, 0x0040);
    h.study_description = text(ds, 0x0008, 0x1030);
    h.series_description = text(ds, 0x0008, 0x103e);
    h.study_date = text(ds, 0x0008, 0x0020);
    h.study_time = text(ds, 0x0008, 0x0030);
    h.accession_number = text(ds, 0x0008, 0x0050);
    h.institution = text(ds, 0x0008, 0x0080);
    h.manufacturer = text(ds, 0x0008, 0x0070);
    h.convolution_kernel = text(ds, 0x0018, 0x1210);
    h.body_part = text(ds, 0x0018, 0x0015);
    h.series_number = integer(text(ds, 0x0020, 0x0011), 0);
    h.instance_number = integer(text(ds, 0x0020, 0x0013), 0);
    h.frames = std::max(1, integer(text(ds, 0x0028, 0x0008), 1));
    bool helpersFinished = true;
    if (ds.FindDataElement(gdcm::Tag(0x0028, 0x0010)) && ds.FindDataElement(gdcm::Tag(0x0028, 0x0011)))
      helpersFinished = runGuardedAgainstAbort([&] {
      // GDCM's helpers decode binary US values in either byte order.
      const auto dims = gdcm::ImageHelper::GetDimensionsValue(file);
      h.cols = static_cast<int>(dims[0]);
      h.rows = static_cast<int>(dims[1]);
      const gdcm::PixelFormat pf = gdcm::ImageHelper::GetPixelFormatValue(file);
      h.samples_per_pixel = pf.GetSamplesPerPixel();
      h.bits_allocated = pf.GetBitsAllocated();
      h.raw.is_signed = pf.GetPixelRepresentation() == 1;
      h.raw.bits_stored = std::clamp<int>(pf.GetBitsStored(), 1, 16);
      // The same helper gdcm::ImageReader uses, so both decoding paths rescale alike.
      const auto interceptSlope = gdcm::ImageHelper::GetRescaleInterceptSlopeValue(file);
      h.raw.intercept = interceptSlope[0];
      h.raw.slope = interceptSlope[1];
    });
    if (!helpersFinished) {
      reader.release();  // abandoned mid-call: leaked on purpose (see abort_guard.h)
      result.error = "damaged DICOM file: GDCM gave up on its image attributes";
      return result;
    }
    if (const auto p = numbers(text(ds, 0x0020, 0x0032)); p.size() == 3) h.position_mm = {p[0], p[1], p[2]};
    h.orientation = unitOrientation(numbers(text(ds, 0x0020, 0x0037)));
    if (const auto s = numbers(text(ds, 0x0028, 0x0030)); s.size() == 2 && s[0] > 0 && s[1] > 0) {
      h.pixel_spacing_mm = {s[0], s[1]};
    }
    const auto thickness = numbers(text(ds, 0x0018, 0x0050));
    h.slice_thickness_mm = thickness.empty() ? 0.0 : thickness[0];
    h.windows = windowsFrom(ds);
    // Nested sequences of a damaged file can trip GDCM's asserts too: guarded like the helpers above.
    if (h.frames > 1 && !runGuardedAgainstAbort([&] { readFunctionalGroups(ds, h); })) {
      reader.release();  // abandoned mid-call: leaked on purpose (see abort_guard.h)
      result.error = "damaged DICOM file: GDCM gave up on its functional groups";
      return result;
    }
    inspectPixelData(path, reader->GetStreamCurrentPosition(), ts, h);
    result.header = std::move(h);
  } catch (const std::bad_alloc&) {
    result.error = "damaged DICOM file: its header asks for more memory than the file can hold";
  } catch (const std::exception& e) {
    result.error = std::string("unreadable DICOM header: ") + e.what();
  } catch (...) {
    result.error = "unreadable DICOM header";
  }
  return result;
}

}  // namespace lunglens::core::dicom
