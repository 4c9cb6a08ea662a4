#include "core/dicom/length_check.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace lunglens::core::dicom {
namespace {

constexpr std::uint32_t kUndefined = 0xffffffffu;
constexpr std::uint32_t kItem = 0xfffee000u, kItemEnd = 0xfffee00du, kSequenceEnd = 0xfffee0ddu;
constexpr std::uint32_t kPixelData = 0x7fe00010u;

std::string tagText(std::uint32_t tag) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "(%04x,%04x)", tag >> 16, tag & 0xffffu);
  return buf;
}

// Stops the walk: a definite problem (error set) or a structure left to GDCM (error empty); `invalidVr` when an
// explicit-VR element has no valid VR (GDCM then reads the data set as implicit VR).
struct Stop {
  std::string error;
  bool invalidVr = false;
};
// The walk reached the top-level Pixel Data in the header scan's scope: everything before it fits.
struct ReachedPixelData {};

class Walker {
 public:
  Walker(int fd, std::uint64_t size) : fd_(fd), size_(size) {}

  bool explicitVr = true, bigEndian = false;
  bool stopAtPixelData = true;

  void read(std::uint64_t at, void* out, std::size_t n) const {
    if (at + n > size_) throw Stop{};  // a header cut short: GDCM fails on it without allocating
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, static_cast<char*>(out) + got, n - got, static_cast<off_t>(at + got));
      if (r <= 0) throw Stop{};
      got += static_cast<std::size_t>(r);
    }
  }
  std::uint16_t u16(const unsigned char* p, bool big) const {
    return big ? std::uint16_t(p[0] << 8 | p[1]) : std::uint16_t(p[1] << 8 | p[0]);
  }
  std::uint32_t u32(const unsigned char* p, bool big) const {
    return big ? (std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3])
               : (std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]);
  }
  std::uint32_t tagAt(std::uint64_t at, bool big) const {
    unsigned char b[4];
    read(at, b, 4);
    return std::uint32_t(u16(b, big)) << 16 | u16(b + 2, big);
  }

  [[noreturn]] static void fail(std::uint32_t tag, std::uint64_t declared, std::uint64_t left) {
    throw Stop{"damaged DICOM file: element " + tagText(tag) + " declares " + std::to_string(declared) +
               " bytes but only " + std::to_string(left) + " remain"};
  }

  struct Element {
    std::uint32_t tag = 0, length = 0;
    char vr[2] = {0, 0};
    bool sequenceVr = false;  // SQ, or UN / implicit whose value may be a sequence
    std::uint64_t value = 0;  // offset of the value
  };

  static bool longLengthVr(const char* vr) {
    static const char* kLong[] = {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"};
    for (const char* l : kLong)
      if (vr[0] == l[0] && vr[1] == l[1]) return true;
    return false;
  }

  Element element(std::uint64_t at, bool explicitVr, bool big) const {
    unsigned char b[12];
    read(at, b, 8);
    Element e;
    e.tag = std::uint32_t(u16(b, big)) << 16 | u16(b + 2, big);
    if ((e.tag >> 16) == 0xfffe || !explicitVr) {
      e.length = u32(b + 4, big);
      e.value = at + 8;
      e.sequenceVr = !explicitVr;
      return e;
    }
    e.vr[0] = static_cast<char>(b[4]);
    e.vr[1] = static_cast<char>(b[5]);
    if (!(e.vr[0] >= 'A' && e.vr[0] <= 'Z' && e.vr[1] >= 'A' && e.vr[1] <= 'Z')) throw Stop{{}, true};
    if (longLengthVr(e.vr)) {
      read(at + 8, b + 8, 4);
      e.length = u32(b + 8, big);
      e.value = at + 12;
    } else {
      e.length = u16(b + 6, big);
      e.value = at + 8;
    }
    e.sequenceVr = (e.vr[0] == 'S' && e.vr[1] == 'Q') || (e.vr[0] == 'U' && e.vr[1] == 'N');
    return e;
  }

  // Items of a sequence (or fragments of encapsulated pixel data) from `at` up to `end` (or the sequence
  // delimiter when the length is undefined). Returns the offset after the sequence.
  std::uint64_t items(std::uint64_t at, std::uint64_t end, bool undefined, bool fragments, int depth,
                      bool explicitVr, bool big) const {
    if (depth > kMaxSequenceDepth)
      throw Stop{"damaged DICOM file: sequences nested deeper than " + std::to_string(kMaxSequenceDepth) + " levels"};
    while (undefined || at < end) {
      const Element item = element(at, explicitVr, big);
      if (item.tag == kSequenceEnd) return item.value;
      if (item.tag != kItem) throw Stop{};  // not an item: left to GDCM
      if (item.length == kUndefined) {
        if (fragments) throw Stop{};
        at = dataSet(item.value, end, true, depth + 1, explicitVr, big);
        continue;
      }
      if (item.value + item.length > end) fail(item.tag, item.length, end - item.value);
      if (!fragments) dataSet(item.value, item.value + item.length, false, depth + 1, explicitVr, big);
      at = item.value + item.length;
    }
    return at;
  }

  // Elements from `at` up to `end` (or an item delimiter when `undefined`). Returns the offset after them.
  std::uint64_t dataSet(std::uint64_t at, std::uint64_t end, bool undefined, int depth, bool explicitVr,
                        bool big) const {
    while (undefined || at < end) {
      if (!undefined && at + 8 > end) throw Stop{};  // trailing bytes: left to GDCM
      const Element e = element(at, explicitVr, big);
      if (e.tag == kItemEnd) return e.value;
      const bool pixelData = depth == 0 && e.tag == kPixelData;
      if (pixelData && stopAtPixelData) throw ReachedPixelData{};  // the scan checks pixel data on its own
      if (e.length == kUndefined) {
        at = items(e.value, end, true, pixelData, depth + 1, explicitVr && !(e.vr[0] == 'U' && e.vr[1] == 'N'), big);
        continue;
      }
      if (e.value + e.length > end) fail(e.tag, e.length, end - e.value);
      // A defined-length sequence: its items' lengths must fit inside it. In implicit VR (and UN) only a value that
      // starts with an item tag is taken for a sequence.
      if (e.sequenceVr && e.length >= 8 && !pixelData) {
        const bool isSq = explicitVr && e.vr[0] == 'S' && e.vr[1] == 'Q';
        if (isSq || tagAt(e.value, big) == kItem)
          items(e.value, e.value + e.length, false, false, depth + 1, isSq ? explicitVr : false, big);
      }
      at = e.value + e.length;
    }
    return at;
  }

  std::string walk() {
    std::uint64_t at = 0;
    char magic[4] = {};
    if (size_ >= 132) {
      read(128, magic, 4);
      if (std::memcmp(magic, "DICM", 4) == 0) at = 132;
    }
    bool isExplicit = true, big = false;
    std::string ts;
    if (at == 132) {
      // File meta information: explicit VR little endian, group 0002 only.
      while (at + 8 <= size_) {
        const Element e = element(at, true, false);
        if ((e.tag >> 16) != 0x0002) break;
        if (e.length == kUndefined || e.value + e.length > size_) fail(e.tag, e.length, size_ - e.value);
        if (e.tag == 0x00020010u && e.length < 128) {
          char uid[128] = {};
          read(e.value, uid, e.length);
          ts.assign(uid, e.length);
          while (!ts.empty() && (ts.back() == '\0' || ts.back() == ' ')) ts.pop_back();
        }
        at = e.value + e.length;
      }
    } else {
      // No preamble: a bare data set, which GDCM reads only when it starts with group 0002 or 0008 (in either byte
      // order); anything else is not DICOM, and GDCM says so without reading further.
      unsigned char b[6];
      read(0, b, 6);
      const std::uint16_t little = u16(b, false), bigGroup = u16(b, true);
      if (little == 0x0002 || little == 0x0008) {
        big = false;
      } else if (bigGroup == 0x0002 || bigGroup == 0x0008) {
        big = true;
      } else {
        return {};
      }
      isExplicit = b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
    }
    if (ts == "1.2.840.10008.1.2.1.99") return {};  // deflated: lengths are in the inflated stream
    if (ts == "1.2.840.10008.1.2") isExplicit = false;
    if (ts == "1.2.840.10008.1.2.2") big = true;
    // GDCM reads files whose meta group misstates implicit/explicit; follow the data rather than the meta.
    if (at + 6 <= size_) {
      unsigned char b[6];
      read(at, b, 6);
      const bool looksExplicit = b[4] >= 'A' && b[4] <= 'Z' && b[5] >= 'A' && b[5] <= 'Z';
      if (looksExplicit != isExplicit) isExplicit = looksExplicit;
    }
    try {
      dataSet(at, size_, false, 0, isExplicit, big);
    } catch (const ReachedPixelData&) {
    } catch (const Stop& stop) {
      if (!stop.invalidVr) throw;
      // An element GDCM cannot read as explicit VR (no valid VR where one belongs): GDCM then reads the data set
      // again as implicit VR, taking the bytes after each tag for a 32-bit length. The lengths of that reading must
      // fit too.
      try {
        dataSet(at, size_, false, 0, false, big);
      } catch (const ReachedPixelData&) {
      }
    }
    return {};
  }

 private:
  int fd_;
  std::uint64_t size_;
};

}  // namespace

std::string checkDeclaredLengths(const std::filesystem::path& file, LengthScope scope) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return {};  // GDCM reports the unreadable file
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return S_ISREG(st.st_mode) ? std::string() : "not a regular file";
  }
  Walker walker(fd, static_cast<std::uint64_t>(st.st_size));
  walker.stopAtPixelData = scope == LengthScope::UpToPixelData;
  std::string error;
  try {
    error = walker.walk();
  } catch (const Stop& stop) {
    error = stop.error;
  }
  ::close(fd);
  return error;
}

}  // namespace lunglens::core::dicom
