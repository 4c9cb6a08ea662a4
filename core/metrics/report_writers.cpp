#include "core/metrics/report_writers.h"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "core/common/number_format.h"

namespace lunglens::core::metrics {

static nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

nlohmann::json toJson(const ClassificationReport& r) {
  nlohmann::json j;
  j["classes"] = r.classes;
  j["n"] = r.n;
  j["accuracy"] = number(r.accuracy);
  j["macro_auc"] = number(r.macro_auc);
  j["confusion_matrix"] = {{"rows", "true class"}, {"columns", "predicted class"}, {"counts", r.confusion}};
  for (const auto& c : r.per_class) {
    j["per_class"][c.name] = {{"support", c.support},           {"sensitivity", number(c.sensitivity)},
                              {"specificity", number(c.specificity)}, {"precision", number(c.precision)},
                              {"f1", number(c.f1)},                 {"auc", number(c.auc)}};
  }
  if (r.positive_vs_rest) {
    const auto& b = *r.positive_vs_rest;
    nlohmann::json roc = nlohmann::json::array();
    for (const auto& p : b.roc) roc.push_back({number(std::isinf(p.threshold) ? NAN : p.threshold), p.fpr, p.tpr});
    j["positive_vs_rest"] = {{"positive_class", b.positive_class},
                             {"threshold", b.threshold},
                             {"tp", b.tp}, {"fp", b.fp}, {"tn", b.tn}, {"fn", b.fn},
                             {"sensitivity", number(b.sensitivity)},
                             {"specificity", number(b.specificity)},
                             {"accuracy", number(b.accuracy)},
                             {"auc", number(b.auc)},
                             {"roc_threshold_fpr_tpr", roc}};
  }
  if (r.bootstrap_iterations > 0) {
    j["ci95"]["method"] = "percentile bootstrap, " + std::to_string(r.bootstrap_iterations) + " resamples of " +
                          r.bootstrap_unit + "s";
    for (const auto& [name, iv] : r.ci95) j["ci95"]["intervals"][name] = {number(iv.low), number(iv.high)};
  }
  return j;
}

static std::string pct(double v) {
  if (std::isnan(v)) return "–";
  return core::fixed(v * 100.0, 2) + "%";
}

static std::string withCi(const ClassificationReport& r, const std::string& key, double v) {
  const auto it = r.ci95.find(key);
  if (it == r.ci95.end()) return pct(v);
  return pct(v) + " (" + pct(it->second.low) + "–" + pct(it->second.high) + ")";
}

std::string toMarkdown(const ClassificationReport& r, const std::string& title, const std::string& task,
                       bool synthetic) {
  std::ostringstream md;
  md << "## " << title << "\n\n";
  if (synthetic) md << "*Measured on synthetic phantoms, not patients: not comparable with clinical numbers.*\n\n";
  md << "Cases: " << r.n << ". Accuracy: " << withCi(r, "accuracy", r.accuracy)
     << ". Macro one-vs-rest AUC: " << withCi(r, "macro_auc", r.macro_auc) << ".";
  if (r.bootstrap_iterations > 0) {
    md << " Brackets: 95% percentile bootstrap over " << r.bootstrap_iterations << " resamples of " << r.bootstrap_unit
       << "s.";
  }
  md << "\n\n| class | support | sensitivity | specificity | precision | F1 | AUC |\n|---|---|---|---|---|---|---|\n";
  for (const auto& c : r.per_class) {
    md << "| " << c.name << " | " << c.support << " | " << withCi(r, c.name + ".sensitivity", c.sensitivity) << " | "
       << withCi(r, c.name + ".specificity", c.specificity) << " | " << pct(c.precision) << " | " << pct(c.f1) << " | "
       << withCi(r, c.name + ".auc", c.auc) << " |\n";
  }
  md << "\nConfusion matrix (rows: true, columns: predicted)\n\n| |";
  for (const auto& c : r.classes) md << " " << c << " |";
  md << "\n|---|";
  for (std::size_t i = 0; i < r.classes.size(); ++i) md << "---|";
  md << "\n";
  for (std::size_t t = 0; t < r.classes.size(); ++t) {
    md << "| **" << r.classes[t] << "** |";
    for (int n : r.confusion[t]) md << " " << n << " |";
    md << "\n";
  }
  if (r.positive_vs_rest) {
    const auto& b = *r.positive_vs_rest;
    const std::string p = b.positive_class + "_vs_rest.";
    md << "\n**" << b.positive_class << " vs rest** (positive when p ≥ " << b.threshold
       << "): sensitivity " << withCi(r, p + "sensitivity", b.sensitivity) << ", specificity "
       << withCi(r, p + "specificity", b.specificity) << ", accuracy " << withCi(r, p + "accuracy", b.accuracy)
       << ", AUC " << withCi(r, p + "auc", b.auc) << ".\n";
  }
  md << "\nFor comparison, Chen et al. (J Digit Imaging 2021) on their real test subjects: ";
  if (task == "manifestation") md << "manifestations 94.08% accuracy, AUC 0.993 (ResNet18).\n";
  else md << "COVID-19 vs rest 94.87% sensitivity, 88.46% specificity, 91.21% accuracy (ResNet50); 3 classes 89.01% accuracy.\n";
  return md.str();
}

}  // namespace lunglens::core::metrics
