// Rules with one source of truth: the disclaimer, number formatting. The disclaimer test reads the source tree:
// a second literal anywhere in core/, ui/ or app/ is the drift issue 18 found (nine literals, three wordings).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/common/disclaimer.h"
#include "core/common/number_format.h"
#include "tests/common/test_paths.h"

namespace lunglens {
namespace {

namespace fs = std::filesystem;

TEST(Disclaimer, OneWordingWithTheSyntheticCaveat) {
  EXPECT_STREQ(core::kDisclaimer, "Reading aid \u2014 not for diagnostic use");
  EXPECT_EQ(core::disclaimer(false), "Reading aid \u2014 not for diagnostic use.");
  EXPECT_EQ(core::disclaimer(true), "Reading aid \u2014 not for diagnostic use. Model trained on synthetic phantoms.");
}

TEST(Disclaimer, NoOtherLiteralInTheSources) {
  const std::vector<std::string> wordings = {"not for diagnostic use", "not a diagnosis\"", "not a diagnosis;",
                                             "not a diagnosis.", "reading aid, not"};
  int files = 0;
  for (const char* room : {"core", "ui", "app"}) {
    for (const auto& entry : fs::recursive_directory_iterator(test::sourceDir() / room)) {
      const auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".h") continue;
      if (entry.path().filename() == "disclaimer.h") continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        const auto code = line.substr(0, line.find("//"));  // comments may quote it
        if (code.find('"') == std::string::npos) continue;
        for (const auto& w : wordings) {
          EXPECT_EQ(code.find(w), std::string::npos)
              << entry.path().string() << ":" << number << " writes the disclaimer itself; use core::kDisclaimer";
        }
      }
    }
  }
  EXPECT_GT(files, 100);
}

TEST(NumberFormat, FixedSignificantAndPercent) {
  EXPECT_EQ(core::fixed(12.345, 1), "12.3");
  EXPECT_EQ(core::fixed(-1499.6, 0), "-1500");
  EXPECT_EQ(core::fixed(0.5, 2), "0.50");
  EXPECT_EQ(core::significant(0.1234567, 6), "0.123457");
  EXPECT_EQ(core::significant(10.0, 6), "10");
  EXPECT_EQ(core::significant(0.1, 10), "0.1");
  EXPECT_EQ(core::percent(0.374), "37 %");
  EXPECT_EQ(core::percent(0.374, ""), "37%");
  EXPECT_EQ(core::percent(0.125), "13 %");  // half away from zero
  EXPECT_EQ(core::percent(1.7), "100 %");    // clamped
  EXPECT_EQ(core::percent(-0.2), "0 %");
  EXPECT_FALSE(core::fixed(1e308, 3).empty());  // no overflow of the buffer
}

}  // namespace
}  // namespace lunglens
