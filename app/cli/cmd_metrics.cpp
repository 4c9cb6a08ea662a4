// lunglens-cli metrics: the evaluation report for a predictions CSV (from any model, ours or another tool's).
#include <iostream>

#include "app/cli/args.h"
#include "app/cli/command_registry.h"
#include "app/cli/roc_plot.h"
#include "core/common/paths.h"
#include "core/metrics/predictions_csv.h"
#include "core/metrics/report_writers.h"

namespace lunglens::cli {
namespace {

namespace fs = std::filesystem;
using namespace core::metrics;

int runMetrics(const Args& args) {
  const fs::path input = args.require("predictions");
  const PredictionTable table = readPredictionsCsv(input);
  const std::string task = args.value("task").value_or(table.classes.size() == 3 && table.classes[0] == "ggo"
                                                           ? "manifestation"
                                                           : "diagnosis");
  EvaluateOptions options;
  options.positive_class = args.value("positive").value_or(task == "manifestation" ? "" : "covid");
  options.threshold = args.doubleValue("threshold", 0.5);
  options.bootstrap_iterations = args.intValue("bootstrap", 1000);
  options.seed = static_cast<unsigned>(args.intValue("seed", 20210101));
  const std::string title = args.value("title").value_or(input.stem().string());

  const auto report = evaluate(table.classes, table.rows, options);
  const fs::path out = args.value("out").value_or(input.parent_path() / (input.stem().string() + "-report"));
  fs::create_directories(out);
  auto json = toJson(report);
  json["source"] = input.string();
  json["task"] = task;
  core::writeFileAtomically(out / "report.json", json.dump(2) + "\n", true);
  const std::string md = "# Evaluation: " + title + "\n\n" +
                         toMarkdown(report, "Per row (" + std::to_string(report.n) + " rows)", task,
                                    args.flag("synthetic"));
  core::writeFileAtomically(out / "report.md", md, true);
  writeRocPng(report, table.rows, "ROC, one class vs rest: " + title, out / "roc.png");

  std::cout << md;
  std::cerr << "wrote " << (out / "report.json").string() << ", report.md and roc.png\n";
  return kOk;
}

const RegisterCommand reg{
    {"metrics", "",
     "Accuracy, per-class sensitivity/specificity/F1, AUCs, confusion matrix and 95% bootstrap CIs for a predictions "
     "CSV (subject_id,label,p_<class>...); writes report.json, report.md, roc.png.",
     {{"predictions", "FILE.csv", "the predictions CSV to evaluate", true},
      {"out", "DIR", "where the report goes (default: FILE-report beside the CSV)"},
      {"task", "diagnosis|manifestation", "what the classes are (default: from the CSV's columns)"},
      {"positive", "CLASS", "the class treated as positive for the binary figures (default: covid for diagnosis)"},
      {"threshold", "P", "the probability at which the positive class is called (default 0.5)"},
      {"bootstrap", "N", "bootstrap iterations for the 95% CIs (default 1000)"},
      {"seed", "N", "the bootstrap's random seed (default 20210101)"},
      {"title", "TEXT", "the report's title (default: the CSV's name)"},
      {"synthetic", "", "marks the report as coming from synthetic data"}},
     &runMetrics}};

}  // namespace
}  // namespace lunglens::cli
