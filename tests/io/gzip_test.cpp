#include <gtest/gtest.h>

#include <fstream>

#include "core/common/error.h"
#include "core/io/gzip.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::io {
namespace {

std::string sampleBytes(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>((i % 97 < 60) ? 0 : (x >> 24));  // runs of zeros with noise, like a label volume
  }
  return s;
}

void writeFile(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Gzip, MultiMemberStreamRoundTripsAndIsThreadIndependent) {
  const std::string bytes = sampleBytes(1'000'003);
  const std::string one = gzipCompress(bytes, 3, 1, 100'000);
  const std::string two = gzipCompress(bytes, 3, 2, 100'000);
  EXPECT_EQ(one, two);  // chunking, not threads, decides the output
  EXPECT_LT(one.size(), bytes.size());
  const auto dir = test::scratchDir("gzip");
  writeFile(dir / "a.gz", one);
  EXPECT_EQ(readMaybeGzipped(dir / "a.gz"), bytes);  // all 11 members are read
}

TEST(Gzip, PlainFilesComeBackUnchanged) {
  const auto dir = test::scratchDir("gzip");
  writeFile(dir / "plain.bin", "hello world");
  EXPECT_EQ(readMaybeGzipped(dir / "plain.bin"), "hello world");
}

TEST(Gzip, TruncatedStreamIsInputError) {
  const std::string gz = gzipCompress(sampleBytes(50'000), 6, 1);
  const auto dir = test::scratchDir("gzip");
  writeFile(dir / "cut.gz", gz.substr(0, gz.size() / 2));
  EXPECT_THROW(readMaybeGzipped(dir / "cut.gz"), InputError);
  EXPECT_THROW(readMaybeGzipped(dir / "missing.gz"), InputError);
}

}  // namespace
}  // namespace lunglens::core::io
