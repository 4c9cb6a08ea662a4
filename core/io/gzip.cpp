#include "core/io/gzip.h"

#include <zlib.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "core/common/error.h"
#include "core/common/parallel.h"

namespace lunglens::core::io {

namespace {

std::string compressMember(const char* data, std::size_t size, int level) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw InternalError("gzip: deflateInit2 failed");
  std::string out(deflateBound(&zs, static_cast<uLong>(size)) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  zs.avail_in = static_cast<uInt>(size);
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw InternalError("gzip: deflate did not finish");
  return out;
}

}  // namespace

std::string gzipCompress(const std::string& bytes, int level, int threads, std::size_t chunk_bytes) {
  const std::size_t chunks = bytes.empty() ? 1 : (bytes.size() + chunk_bytes - 1) / chunk_bytes;
  std::vector<std::string> parts(chunks);
  parallelFor(0, static_cast<int>(chunks), threads > 0 ? threads : defaultThreadCount(), [&](int c) {
    const std::size_t begin = static_cast<std::size_t>(c) * chunk_bytes;
    const std::size_t len = std::min(chunk_bytes, bytes.size() - std::min(begin, bytes.size()));
    parts[static_cast<std::size_t>(c)] = compressMember(bytes.data() + begin, len, level);
  });
  std::string out;
  std::size_t total = 0;
  for (const auto& p : parts) total += p.size();
  out.reserve(total);
  for (const auto& p : parts) out += p;
  return out;
}

std::string readMaybeGzipped(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), "cannot open the file");
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.size() < 2 || static_cast<unsigned char>(raw[0]) != 0x1f || static_cast<unsigned char>(raw[1]) != 0x8b)
    return raw;
  std::string out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw InternalError("gzip: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(raw.data());
  zs.avail_in = static_cast<uInt>(raw.size());
  std::vector<char> buf(1 << 20);
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf.data());
    zs.avail_out = static_cast<uInt>(buf.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // next gzip member
      continue;
    }
    if (rc != Z_OK) {
      inflateEnd(&zs);
      throw InputError(path.string(), "corrupt gzip data");
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace lunglens::core::io
