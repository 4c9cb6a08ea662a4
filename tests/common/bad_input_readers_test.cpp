// The shared readers of outside input: JSON with a depth limit and range-checked numbers, regular files only
// (a FIFO never blocks), whole-string numbers, and CSV fields that cannot break a table or run as a formula.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/common/csv.h"
#include "core/common/error.h"
#include "core/common/json_read.h"
#include "core/common/strict_number.h"
#include "tests/common/test_paths.h"

using namespace lunglens::core;

namespace {

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(JsonRead, DeepNestingIsAnInputErrorNotACrash) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const std::string why = errorOf([&] { parseJsonText(deep, "x.json", "manifest.json"); });
  EXPECT_NE(why.find("nested deeper than 64 levels"), std::string::npos) << why;
  const std::string objects = [] {
    std::string s;
    for (int i = 0; i < 100000; ++i) s += "{\"a\":";
    return s + "1" + std::string(100000, '}');
  }();
  EXPECT_NE(errorOf([&] { parseJsonText(objects, "x.json", "doc"); }).find("nested deeper"), std::string::npos);
  // At the limit it still parses.
  EXPECT_NO_THROW(parseJsonText(std::string(63, '[') + std::string(63, ']'), "x", "doc"));
}

TEST(JsonRead, NumberOverflowIsAnInputError) {
  const std::string why = errorOf([] { parseJsonText("{\"a\": 1e400}", "m.json", "manifest.json"); });
  EXPECT_NE(why.find("m.json: manifest.json: not valid JSON"), std::string::npos) << why;
  EXPECT_NE(errorOf([] { parseJsonText("{\"a\": -1e400}", "m", "doc"); }), "");
  EXPECT_NE(errorOf([] { parseJsonText("{\"a\": ", "m", "doc"); }), "");
  EXPECT_EQ(parseJsonText("{\"a\": 1e300}", "m", "doc")["a"].get<double>(), 1e300);
}

TEST(JsonRead, AFifoIsRefusedWithoutBlocking) {
  const auto dir = lunglens::test::scratchDir("fifo");
  const auto fifo = dir / "manifest.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string why = errorOf([&] { readRegularFile(fifo, "manifest.json"); });
  EXPECT_NE(why.find("not a regular file"), std::string::npos) << why;
  EXPECT_NE(errorOf([&] { readRegularFile(dir, "manifest.json"); }).find("not a regular file"), std::string::npos);
  EXPECT_NE(errorOf([&] { readRegularFile(dir / "absent", "x"); }).find("cannot open"), std::string::npos);
  std::ofstream(dir / "big") << std::string(2000, 'x');
  EXPECT_NE(errorOf([&] { readRegularFile(dir / "big", "x", 1000); }).find("too large"), std::string::npos);
  EXPECT_EQ(readRegularFile(dir / "big", "x", 2000).size(), 2000u);
}

TEST(StrictNumber, WholeStringsOnly) {
  EXPECT_EQ(parseStrictInt("2"), 2);
  EXPECT_EQ(parseStrictInt("-17"), -17);
  EXPECT_EQ(parseStrictInt("+3"), 3);
  for (const char* bad : {"2 OR 1=1", "12abc", " 7", "7 ", "", "-", "1.5", "0x10", "99999999999999999999"})
    EXPECT_FALSE(parseStrictInt(bad).has_value()) << bad;
  EXPECT_FALSE(parseStrictInt("5", 0, 4).has_value());
  EXPECT_EQ(parseStrictDouble("1.5e3"), 1500.0);
  for (const char* bad : {"1e400", "nan", "inf", "1.5x", " 1", ""})
    EXPECT_FALSE(parseStrictDouble(bad).has_value()) << bad;
}

TEST(Csv, FieldsAreQuotedAndFormulasNeutralised) {
  EXPECT_EQ(csvField("plain"), "plain");
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("model\n1,0.9,0.1"), "\"model\n1,0.9,0.1\"");
  EXPECT_EQ(csvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csvField("+1"), "'+1");
  EXPECT_EQ(csvField("-2"), "'-2");
  EXPECT_EQ(csvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csvField(""), "");
  EXPECT_EQ(csvCommentText("name\n1,2,3\r"), "name 1;2;3 ");
  EXPECT_EQ(csvCommentText("x,=cmd()"), "x;=cmd()");
}

TEST(Csv, ALineReadsBackTheFieldsWritten) {
  const std::vector<std::string> fields = {"plain", "a,b", "say \"hi\"", "", "covid-19, GGO"};
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + csvField(fields[i]);
  EXPECT_EQ(csvSplitLine(line), fields);
  EXPECT_EQ(csvSplitLine("a,b\r"), (std::vector<std::string>{"a", "b"}));  // a CRLF file read line by line
  EXPECT_EQ(csvSplitLine(""), std::vector<std::string>{""});
  EXPECT_EQ(csvSplitLine("\"x,\"\"y\"\"\",z"), (std::vector<std::string>{"x,\"y\"", "z"}));
}
