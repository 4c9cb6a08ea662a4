// Every command's options are declared once: each accepted option appears in its --help, and every option the help
// (usage line, summary, option lines) mentions is accepted by the parser.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"

namespace lunglens::cli {
namespace {

bool accepted(const Command& c, const std::string& name) {
  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{"--" + name, "x"}, std::vector<std::string>{"--" + name}}) {
    try {
      const Args args(argv, c.options);
      return true;
    } catch (const UsageError&) {
    }
  }
  return false;
}

TEST(CommandOptions, EveryCommandIsRegisteredWithItsOptionsDeclared) {
  ASSERT_GE(commands().size(), 12u);
  for (const Command& c : commands()) {
    EXPECT_NE(c.run, nullptr) << c.name << " has no run function";
    EXPECT_FALSE(c.summary.empty()) << c.name << " has no summary for --help";
    std::set<std::string> names;
    for (const Option& o : c.options) {
      EXPECT_TRUE(names.insert(o.name).second) << c.name << " declares --" << o.name << " twice";
      EXPECT_FALSE(o.help.empty()) << c.name << " --" << o.name << " has no help line";
    }
  }
}

TEST(CommandOptions, EveryAcceptedOptionIsInTheHelp) {
  for (const Command& c : commands()) {
    const std::string help = helpText(c);
    const std::string usage = usageLine(c);
    for (const Option& o : c.options) {
      const std::string shown = "--" + o.name + (o.argument.empty() ? "" : " " + o.argument);
      EXPECT_NE(usage.find(shown), std::string::npos) << c.name << ": usage line lacks " << shown;
      EXPECT_NE(help.find("  " + shown + " "), std::string::npos) << c.name << ": help lacks a line for " << shown;
      EXPECT_TRUE(accepted(c, o.name)) << c.name << " declares --" << o.name << " but does not accept it";
      // A flag given a value, or a valued option given none, is a usage error.
      if (o.argument.empty()) {
        EXPECT_THROW(Args({"--" + o.name + "=x"}, c.options), UsageError) << c.name << " --" << o.name;
      } else {
        EXPECT_THROW(Args({"--" + o.name}, c.options), UsageError) << c.name << " --" << o.name;
      }
    }
  }
}

TEST(CommandOptions, EveryOptionTheHelpMentionsIsAccepted) {
  const std::regex option("--([a-z][a-z0-9-]*)");
  for (const Command& c : commands()) {
    const std::string help = helpText(c);
    for (auto it = std::sregex_iterator(help.begin(), help.end(), option); it != std::sregex_iterator(); ++it) {
      const std::string name = (*it)[1];
      EXPECT_TRUE(accepted(c, name)) << c.name << "'s help mentions --" << name << ", which it does not accept";
    }
  }
}

TEST(CommandOptions, UndeclaredOptionsAreRejected) {
  for (const Command& c : commands()) EXPECT_FALSE(accepted(c, "no-such-option")) << c.name;
}

}  // namespace
}  // namespace lunglens::cli
