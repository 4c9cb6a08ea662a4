#include "core/dicom/text_decode.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

namespace lunglens::core::dicom {
namespace {

const char* const kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The iconv name for a DICOM defined term (PS3.3 C.12.1.1.2), or "" for the default repertoire.
std::string iconvName(const std::string& charset) {
  // Multi-valued (ISO 2022 code extensions): the values after the first name the sets switched in by escapes.
  std::vector<std::string> values;
  std::size_t start = 0;
  while (true) {
    const auto bs = charset.find('\\', start);
    std::string v = charset.substr(start, bs == std::string::npos ? std::string::npos : bs - start);
    while (!v.empty() && v.back() == ' ') v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    values.push_back(v);
    if (bs == std::string::npos) break;
    start = bs + 1;
  }
  for (const auto& v : values) {
    if (v.find("IR 87") != std::string::npos || v.find("IR 159") != std::string::npos) return "ISO-2022-JP-2";
    if (v.find("IR 149") != std::string::npos) return "ISO-2022-KR";
    if (v.find("IR 58") != std::string::npos) return "ISO-2022-CN";
  }
  static const std::map<std::string, std::string> single = {
      {"ISO_IR 100", "ISO-8859-1"}, {"ISO_IR 101", "ISO-8859-2"},  {"ISO_IR 109", "ISO-8859-3"},
      {"ISO_IR 110", "ISO-8859-4"}, {"ISO_IR 144", "ISO-8859-5"},  {"ISO_IR 127", "ISO-8859-6"},
      {"ISO_IR 126", "ISO-8859-7"}, {"ISO_IR 138", "ISO-8859-8"},  {"ISO_IR 148", "ISO-8859-9"},
      {"ISO_IR 203", "ISO-8859-15"}, {"ISO_IR 166", "TIS-620"},    {"ISO_IR 13", "SHIFT_JIS"},
      {"ISO_IR 192", "UTF-8"},      {"GB18030", "GB18030"},        {"GBK", "GBK"}};
  for (const auto& v : values) {
    std::string key = v;
    if (key.rfind("ISO 2022 IR ", 0) == 0) key = "ISO_IR " + key.substr(12);  // same set, code extensions allowed
    if (const auto it = single.find(key); it != single.end()) return it->second;
  }
  return "";
}

struct IconvDeleter {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// One converter per character set and thread (iconv_t keeps shift state; opening one is not free).
iconv_t converter(const std::string& name) {
  thread_local std::map<std::string, std::unique_ptr<void, IconvDeleter>> cache;
  auto it = cache.find(name);
  if (it == cache.end()) {
    iconv_t cd = iconv_open("UTF-8", name.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return cd;
    it = cache.emplace(name, std::unique_ptr<void, IconvDeleter>(cd)).first;
  }
  iconv(static_cast<iconv_t>(it->second.get()), nullptr, nullptr, nullptr, nullptr);  // reset the shift state
  return static_cast<iconv_t>(it->second.get());
}

std::string convert(const std::string& bytes, iconv_t cd) {
  std::string out;
  out.reserve(bytes.size() * 2 + 8);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char buffer[1024];
  while (in_left > 0) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buffer, sizeof buffer - o_left);
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ (invalid) or EINVAL (cut short): one byte becomes U+FFFD, then carry on after it.
      out += kReplacement;
      ++in;
      --in_left;
    }
  }
  char* o = buffer;
  std::size_t o_left = sizeof buffer;
  iconv(cd, nullptr, nullptr, &o, &o_left);  // flush any shift state
  out.append(buffer, sizeof buffer - o_left);
  return out;
}

bool plainAscii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c == 0x1b) return false;
  return true;
}

}  // namespace

std::string validUtf8(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (s[i + k] & 0xc0) == 0x80;
    if (ok && len > 1) {
      // No overlong forms, no surrogates, nothing above U+10FFFF.
      std::uint32_t cp = c & (0xff >> (len + 1));
      for (std::size_t k = 1; k < len; ++k) cp = cp << 6 | (s[i + k] & 0x3f);
      const std::uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= min[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    }
    if (ok) {
      out.append(text, i, len);
      i += len;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

std::string decodeDicomText(const std::string& bytes, const std::string& specific_character_set) {
  if (plainAscii(bytes)) return bytes;
  const std::string name = iconvName(specific_character_set);
  if (name.empty() || name == "UTF-8") return validUtf8(bytes);
  const iconv_t cd = converter(name);
  if (cd == reinterpret_cast<iconv_t>(-1)) return validUtf8(bytes);
  return validUtf8(convert(bytes, cd));
}

}  // namespace lunglens::core::dicom
