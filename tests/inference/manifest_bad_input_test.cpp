// A manifest.json that is not a manifest at all: nested 200,000 levels deep, numbers beyond a double, a FIFO in
// its place. Each is a clear InputError naming the bundle, never a crash, a hang or an internal error.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/inference/manifest.h"
#include "tests/common/test_paths.h"
#include "tests/inference/tiny_models.h"

using namespace lunglens::core;
using namespace lunglens::core::inference;

namespace {

std::string errorOfText(const std::string& text) {
  try {
    parseManifest(text, "models/bad");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ManifestBadInput, DeeplyNestedJsonIsAnInputError) {
  std::string text = nlohmann::json::parse(manifestToJson(lunglens::test::tinyManifest({}))).dump();
  text.pop_back();  // drop the closing brace: nest 200,000 arrays under one more field
  text += ",\"extra\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  const std::string why = errorOfText(text);
  EXPECT_NE(why.find("models/bad: manifest.json: not valid JSON: nested deeper than"), std::string::npos) << why;
}

TEST(ManifestBadInput, NumberBeyondADoubleIsAnInputError) {
  std::string text = manifestToJson(lunglens::test::tinyManifest({}));
  const auto at = text.find("\"covid\": 0.5");
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, 12, "\"covid\": 1e400");
  const std::string why = errorOfText(text);
  EXPECT_NE(why.find("models/bad: manifest.json: not valid JSON"), std::string::npos) << why;
}

TEST(ManifestBadInput, AFifoNamedManifestIsRefusedAtOnce) {
  const auto dir = lunglens::test::scratchDir("bundle");
  ASSERT_EQ(::mkfifo((dir / "manifest.json").c_str(), 0600), 0);
  try {
    readManifest(dir);  // would block forever in open() if it opened the FIFO
    FAIL() << "read a FIFO as a manifest";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}
