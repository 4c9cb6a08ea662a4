// The lunglens command line.
#include "app/gui/gui_options.h"

#include <gtest/gtest.h>

#include "app/cli/args.h"

using lunglens::cli::UsageError;
using lunglens::gui::parseGuiOptions;

TEST(GuiOptions, FolderSeriesSliceWindowScreenshot) {
  const auto o = parseGuiOptions({"/data/ct", "--series", "1.2.3", "--slice", "12", "--window", "400,40",
                                  "--screenshot", "/tmp/x.png", "--hide-patient"});
  EXPECT_EQ(o.folder, "/data/ct");
  EXPECT_EQ(o.series_uid, "1.2.3");
  EXPECT_EQ(o.slice, 12);  // 0 = the lowest slice, as in lunglens-cli
  ASSERT_TRUE(o.window);
  EXPECT_EQ(o.window->width, 400);
  EXPECT_EQ(o.window->level, 40);
  EXPECT_EQ(o.screenshot, "/tmp/x.png");
  EXPECT_TRUE(o.hide_patient);
}

TEST(GuiOptions, NothingMeansAnEmptyViewer) {
  const auto o = parseGuiOptions({});
  EXPECT_TRUE(o.folder.empty());
  EXPECT_FALSE(o.demo);
  EXPECT_EQ(o.slice, -1);
  EXPECT_FALSE(o.window);
}

TEST(GuiOptions, PresetWindowNames) {
  EXPECT_EQ(parseGuiOptions({"d", "--window=mediastinum"}).window->width, 350);
}

TEST(GuiOptions, UsageErrors) {
  EXPECT_THROW(parseGuiOptions({"a", "b"}), UsageError);
  EXPECT_THROW(parseGuiOptions({"d", "--slice", "-1"}), UsageError);
  EXPECT_EQ(parseGuiOptions({"d", "--slice", "0"}).slice, 0);
  EXPECT_THROW(parseGuiOptions({"d", "--slice", "x"}), UsageError);
  EXPECT_THROW(parseGuiOptions({"d", "--window", "soft"}), UsageError);
  EXPECT_THROW(parseGuiOptions({"--screenshot", "x.png"}), UsageError);
  EXPECT_THROW(parseGuiOptions({"d", "--demo"}), UsageError);
  EXPECT_THROW(parseGuiOptions({"d", "--bogus"}), UsageError);
  EXPECT_NO_THROW(parseGuiOptions({"--demo", "--screenshot", "x.png"}));
}
