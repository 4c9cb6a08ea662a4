#include "core/dicom/slice_decoder.h"

#include <fcntl.h>
#include <gdcmImageReader.h>
#include <gdcmSequenceOfFragments.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "core/common/error.h"
#include "core/common/allocation_limit.h"
#include "core/dicom/abort_guard.h"
#include "core/dicom/dcmtk_fallback.h"
#include "core/dicom/file_header.h"
#include "core/dicom/functional_groups.h"
#include "core/dicom/length_check.h"

namespace lunglens::core::dicom {
namespace {

std::int16_t clampHu(double v) {
  return static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
}

template <typename T>
void rescale(const char* raw, std::size_t count, double slope, double intercept, std::int16_t* hu) {
  const T* src = reinterpret_cast<const T*>(raw);
  const bool integral = slope == 1.0 && intercept == std::floor(intercept) && std::abs(intercept) < 65536;
  if (integral) {
    // The common CT case (slope 1, whole intercept): integer arithmetic the compiler vectorises.
    const std::int32_t offset = static_cast<std::int32_t>(intercept);
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t v = static_cast<std::int64_t>(src[i]) + offset;
      hu[i] = static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
    }
  } else {
    for (std::size_t i = 0; i < count; ++i) hu[i] = clampHu(static_cast<double>(src[i]) * slope + intercept);
  }
}

// JPEG, JPEG-LS and JPEG 2000 code streams end with a marker (EOI / EOC, FF D9). A stream cut short decodes
// without complaint in GDCM's JPEG Lossless decoder: the top rows are image, the rest flat grey. Only the
// last fragment of the last frame is checked: truncation cuts a file's end, and this file holds one frame.
// Only JPEG Lossless is checked: its decoder is the one that returns a partial image without an error, and some
// real lossy JPEG files (pydicom's JPEG-lossy.dcm) end without the marker yet decode whole.
bool jpegFamily(const gdcm::TransferSyntax& ts) {
  return ts == gdcm::TransferSyntax::JPEGLosslessProcess14 || ts == gdcm::TransferSyntax::JPEGLosslessProcess14_1;
}

std::string whyIncompleteCodeStream(const gdcm::DataSet& ds) {
  const gdcm::Tag pixelData(0x7fe0, 0x0010);
  if (!ds.FindDataElement(pixelData)) return "no pixel data";
  const gdcm::SequenceOfFragments* fragments = ds.GetDataElement(pixelData).GetSequenceOfFragments();
  if (!fragments || fragments->GetNumberOfFragments() == 0) return "no compressed fragments";
  const gdcm::Fragment& last = fragments->GetFragment(fragments->GetNumberOfFragments() - 1);
  const gdcm::ByteValue* bv = last.GetByteValue();
  if (!bv || bv->GetLength() < 2) return "an empty fragment";
  const auto* p = reinterpret_cast<const unsigned char*>(bv->GetPointer());
  std::size_t n = bv->GetLength();
  while (n > 2 && p[n - 1] == 0x00) --n;  // fragments are padded to an even length
  if (p[n - 2] != 0xff || p[n - 1] != 0xd9) return "the compressed image ends before its end-of-image marker";
  return {};
}

// What decoding one file may allocate at most: 64 MiB beyond 4 x the file's size (a CT slice decodes to 2 bytes a
// pixel from a file at least a quarter of that, compressed losslessly; a damaged header asks for far more).
std::size_t decodeBudget(const std::string& path) {
  struct stat st {};
  const std::size_t size = ::stat(path.c_str(), &st) == 0 ? static_cast<std::size_t>(st.st_size) : 0;
  return 4 * size + (std::size_t(64) << 20);
}

void rescaleAny(const std::string& path, gdcm::PixelFormat::ScalarType type, const char* raw, std::size_t pixels,
                double slope, double intercept, std::int16_t* hu) {
  switch (type) {
    case gdcm::PixelFormat::UINT8: rescale<std::uint8_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::INT8: rescale<std::int8_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::UINT16: rescale<std::uint16_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::INT16: rescale<std::int16_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::UINT32: rescale<std::uint32_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::INT32: rescale<std::int32_t>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::FLOAT32: rescale<float>(raw, pixels, slope, intercept, hu); break;
    case gdcm::PixelFormat::FLOAT64: rescale<double>(raw, pixels, slope, intercept, hu); break;
    default: throw InputError(path, std::string("unsupported pixel type ") + gdcm::PixelFormat(type).GetScalarTypeAsString());
  }
}

// One buffer per decoding thread, reused for every file that thread decodes. When it holds every frame of a
// multi-frame file, `tFrames` says which: the loader asks for each frame of an enhanced file in turn, and the next
// ones are cut from the buffer instead of decoding the whole file again. A file changed since (size or time) is
// decoded afresh.
struct DecodedFrames {
  std::string path;  // empty: the buffer holds nothing reusable
  std::int64_t size = 0, mtime_ns = 0;
  int rows = 0, cols = 0, frames = 0;
  gdcm::PixelFormat::ScalarType type = gdcm::PixelFormat::UNKNOWN;
  std::size_t frameBytes = 0;
  std::vector<std::array<double, 2>> rescales;  // (slope, intercept) of each frame
};
thread_local std::vector<char> tBuffer;
thread_local DecodedFrames tFrames;

bool statOf(const std::string& path, std::int64_t& size, std::int64_t& mtime_ns) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  size = st.st_size;
  mtime_ns = std::int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

// A multi-frame image's frames are rescaled by their own Pixel Value Transformation (per-frame functional group)
// where they have one: GDCM applies only the shared one. `frameRescale` (slope, intercept), when given, is that
// rescale as the scan found it (see splitFrames).
void decodeFrameHu(const std::string& path, int frame, int rows, int cols, std::int16_t* hu,
                   const double* frameRescale) {
  quietGdcm();
  std::int64_t size = 0, mtime_ns = 0;
  const bool statted = statOf(path, size, mtime_ns);
  if (statted && tFrames.path == path && tFrames.size == size && tFrames.mtime_ns == mtime_ns && tFrames.rows == rows &&
      tFrames.cols == cols && frame >= 0 && frame < tFrames.frames) {
    const char* raw = tBuffer.data() + tFrames.frameBytes * static_cast<std::size_t>(frame);
    const auto& own = tFrames.rescales[static_cast<std::size_t>(frame)];
    rescaleAny(path, tFrames.type, raw, static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols),
               frameRescale ? frameRescale[0] : own[0], frameRescale ? frameRescale[1] : own[1], hu);
    return;
  }
  if (std::string why = checkDeclaredLengths(path, LengthScope::WholeFile); !why.empty())
    throw InputError(path, "cannot read the image: " + why);
  const AllocationLimit limit(decodeBudget(path));
  std::unique_ptr<gdcm::ImageReader> reader(new gdcm::ImageReader);
  reader->SetFileName(path.c_str());
  bool read = false;
  const bool finished = runGuardedAgainstAbort([&] {
    try {
      read = reader->Read();
    } catch (const std::exception&) {
      read = false;
    }
  });
  if (!finished) reader.release();  // abandoned mid-parse: leaked on purpose (see abort_guard.h)
  if (!finished || !read) {
    std::string why;
    if (decodeWithDcmtk(path, frame, rows, cols, hu, why)) return;
    throw InputError(path, "cannot read the image (truncated or corrupt file; DCMTK: " + why + ")");
  }
  const gdcm::Image& image = reader->GetImage();
  const unsigned int* dims = image.GetDimensions();
  if (static_cast<int>(dims[0]) != cols || static_cast<int>(dims[1]) != rows) {
    throw InputError(path, "image is " + std::to_string(dims[0]) + "x" + std::to_string(dims[1]) + ", expected " +
                               std::to_string(cols) + "x" + std::to_string(rows));
  }
  const gdcm::PixelFormat pf = image.GetPixelFormat();
  if (pf.GetSamplesPerPixel() != 1) throw InputError(path, "not a greyscale image");
  const std::size_t pixels = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  const std::size_t frameBytes = pixels * pf.GetPixelSize();
  const std::size_t length = image.GetBufferLength();
  if (frame < 0 || length < frameBytes * static_cast<std::size_t>(frame + 1)) {
    throw InputError(path, "frame " + std::to_string(frame) + " is not in the file");
  }
  if (length > decodeBudget(path)) {
    throw InputError(path, "the image attributes ask for " + std::to_string(length >> 20) +
                               " MiB of pixels, far more than the file can hold (damaged header)");
  }
  const gdcm::TransferSyntax& syntax = reader->GetFile().GetHeader().GetDataSetTransferSyntax();
  if (jpegFamily(syntax)) {
    if (std::string why = whyIncompleteCodeStream(reader->GetFile().GetDataSet()); !why.empty())
      throw InputError(path, "incomplete image: " + why + " (truncated file); the slice is not shown");
  }
  std::vector<char>& buffer = tBuffer;
  tFrames.path.clear();  // about to be overwritten
  buffer.resize(length);
  bool decoded = false;
  const bool decodeFinished = runGuardedAgainstAbort([&] {
    try {
      decoded = image.GetBuffer(buffer.data());
    } catch (const std::exception&) {
      decoded = false;
    }
  });
  if (!decodeFinished || !decoded) {
    const char* ts = syntax.GetString();
    const std::string name = ts ? ts : "?";
    if (!decodeFinished) reader.release();  // abandoned mid-decode: leaked on purpose (see abort_guard.h)
    // GDCM refused the pixels: DCMTK's decoders get their turn before the slice is rejected.
    std::string why;
    if (decodeWithDcmtk(path, frame, rows, cols, hu, why)) return;
    throw InputError(path, std::string("cannot decode the pixel data (transfer syntax ") + name + "; GDCM " +
                               (decodeFinished ? "refused it" : "gave up") + "; " + why + ")");
  }
  const char* raw = buffer.data() + frameBytes * static_cast<std::size_t>(frame);
  const bool multiFrame = image.GetNumberOfDimensions() == 3 && dims[2] > 1;
  double slope = image.GetSlope(), intercept = image.GetIntercept();
  if (multiFrame) {
    const int frames = static_cast<int>(length / frameBytes);
    std::vector<std::array<double, 2>> rescales(static_cast<std::size_t>(frames), {slope, intercept});
    FileHeader groups;
    groups.frames = frames;
    if (!runGuardedAgainstAbort([&] { readFunctionalGroups(reader->GetFile().GetDataSet(), groups); })) {
      reader.release();  // abandoned mid-call: leaked on purpose (see abort_guard.h)
      throw InputError(path, "damaged DICOM file: GDCM gave up on its functional groups");
    }
    for (std::size_t k = 0; k < groups.frame_info.size() && k < rescales.size(); ++k) {
      if (groups.frame_info[k].slope_intercept) rescales[k] = *groups.frame_info[k].slope_intercept;
    }
    slope = frameRescale ? frameRescale[0] : rescales[static_cast<std::size_t>(frame)][0];
    intercept = frameRescale ? frameRescale[1] : rescales[static_cast<std::size_t>(frame)][1];
    if (statted) {
      tFrames = {path, size, mtime_ns, rows, cols, frames, pf.GetScalarType(), frameBytes, std::move(rescales)};
    }
  }
  rescaleAny(path, pf.GetScalarType(), raw, pixels, slope, intercept, hu);
}

}  // namespace

void decodeSliceHu(const std::string& path, int frame, int rows, int cols, std::int16_t* hu) {
  decodeFrameHu(path, frame, rows, cols, hu, nullptr);
}

void readRawSliceHu(const std::string& path, const RawPixels& raw, int rows, int cols, std::int16_t* hu) {
  const std::size_t pixels = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
  static thread_local std::vector<std::uint16_t> buffer;
  buffer.resize(pixels);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, "cannot open the file");
  const std::size_t wanted = pixels * sizeof(std::uint16_t);
  std::size_t got = 0;
  while (got < wanted) {
    const ssize_t n = ::pread(fd, reinterpret_cast<char*>(buffer.data()) + got, wanted - got,
                              static_cast<off_t>(raw.offset + got));
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != wanted) throw InputError(path, "the file ends inside its pixel data (changed since the scan?)");
  // Bits above BitsStored are not part of the value (overlays, garbage): mask them, sign-extending signed values.
  const int unused = 16 - raw.bits_stored;
  const std::uint16_t mask = static_cast<std::uint16_t>(0xffffu >> unused);
  if (raw.is_signed) {
    for (std::size_t i = 0; i < pixels; ++i) {
      // Shift the stored sign bit up to bit 15, then arithmetic-shift back down.
      buffer[i] = static_cast<std::uint16_t>(static_cast<std::int16_t>(buffer[i] << unused) >> unused);
    }
    rescale<std::int16_t>(reinterpret_cast<const char*>(buffer.data()), pixels, raw.slope, raw.intercept, hu);
  } else {
    if (unused > 0) {
      for (std::size_t i = 0; i < pixels; ++i) buffer[i] &= mask;
    }
    rescale<std::uint16_t>(reinterpret_cast<const char*>(buffer.data()), pixels, raw.slope, raw.intercept, hu);
  }
}

void decodeSliceHu(const SliceRef& slice, int rows, int cols, std::int16_t* hu) {
  if (slice.raw.offset != 0) {  // the offset of this slice's own frame (see splitFrames)
    readRawSliceHu(slice.path, slice.raw, rows, cols, hu);
  } else {
    const double rescale[2] = {slice.raw.slope, slice.raw.intercept};
    decodeFrameHu(slice.path, slice.frame, rows, cols, hu, rescale);
  }
}

}  // namespace lunglens::core::dicom
