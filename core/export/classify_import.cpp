// Reading the predictions JSON of `lunglens-cli classify` into AiResults (see ai_results.h).
#include <algorithm>
#include <cstdint>

#include "core/common/error.h"
#include "core/export/ai_results.h"
#include "core/common/json_file.h"

using nlohmann::json;

namespace lunglens::core::exporting {
namespace {

// Known classes in their reading order; unknown ones follow alphabetically.
std::vector<std::string> orderedClasses(const json& probabilities, const std::vector<std::string>& preferred) {
  std::vector<std::string> names;
  for (auto it = probabilities.begin(); it != probabilities.end(); ++it) names.push_back(it.key());
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    const auto ia = std::find(preferred.begin(), preferred.end(), a) - preferred.begin();
    const auto ib = std::find(preferred.begin(), preferred.end(), b) - preferred.begin();
    return ia != ib ? ia < ib : a < b;
  });
  return names;
}

std::vector<double> valuesOf(const json& probabilities, const std::vector<std::string>& classes,
                             const std::string& where) {
  std::vector<double> out;
  for (const auto& c : classes) {
    const auto it = probabilities.find(c);
    if (it == probabilities.end() || !it->is_number()) throw InputError(where, "no probability for class '" + c + "'");
    const double p = it->get<double>();
    if (!(p >= 0.0 && p <= 1.0)) throw InputError(where, "probability of '" + c + "' is not in [0, 1]");
    out.push_back(p);
  }
  return out;
}

std::string text(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

AiResults aiResultsFromClassifyJson(const json& j, const std::string& context) {
  if (!j.is_object() || !j.contains("slices") || !j["slices"].is_array() || !j.contains("diagnosis_model")) {
    throw InputError(context, "not the JSON output of `lunglens-cli classify` (no slices / diagnosis_model)");
  }
  AiResults r;
  r.study_uid = text(j, "study_uid");
  r.series_uid = text(j, "series_uid");
  const json& model = j["diagnosis_model"];
  r.model.name = text(model, "name");
  r.model.version = text(model, "version");
  if (model.contains("provenance") && model["provenance"].is_object()) {
    const json& p = model["provenance"];
    r.model.provenance = text(p, "training_data");
    if (!text(p, "date").empty()) r.model.provenance += (r.model.provenance.empty() ? "" : ", ") + text(p, "date");
    if (const auto synthetic = p.find("synthetic"); synthetic != p.end()) {
      if (!synthetic->is_boolean())
        throw InputError(context, "diagnosis_model.provenance.synthetic must be true or false");
      r.model.trained_on_synthetic = synthetic->get<bool>();
    }
  }
  for (std::size_t i = 0; i < j["slices"].size(); ++i) {
    const json& s = j["slices"][i];
    const std::string where = context + ": slices[" + std::to_string(i) + "]";
    if (!s.is_object() || !s.contains("index") || !s["index"].is_number_integer()) {
      throw InputError(where, "missing index");
    }
    SliceScores scores;
    if (!s["index"].is_number_unsigned() || s["index"].get<std::uint64_t>() > 1000000u)
      throw InputError(where, "index must be a slice number from 0 to 1000000");
    scores.index = s["index"].get<int>();
    if (s.contains("diagnosis") && s["diagnosis"].is_object()) {
      if (r.classes.empty()) r.classes = orderedClasses(s["diagnosis"], {"covid", "other_pneumonia", "normal"});
      scores.probabilities = valuesOf(s["diagnosis"], r.classes, where + ".diagnosis");
    } else {
      continue;  // not scored
    }
    if (s.contains("manifestation") && s["manifestation"].is_object()) {
      if (r.manifestation_classes.empty()) {
        r.manifestation_classes = orderedClasses(s["manifestation"], {"ggo", "consolidation", "fibrotic_streaks"});
      }
      scores.manifestation = valuesOf(s["manifestation"], r.manifestation_classes, where + ".manifestation");
    }
    if (s.contains("ood_score") && s["ood_score"].is_number()) {
      scores.ood_score = s["ood_score"].get<double>();
      scores.out_of_distribution = s.contains("out_of_distribution") && s["out_of_distribution"].is_boolean() &&
                                   s["out_of_distribution"].get<bool>();
    }
    r.slices.push_back(std::move(scores));
  }
  if (r.classes.empty()) throw InputError(context, "no slice has diagnosis probabilities");
  std::sort(r.slices.begin(), r.slices.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  if (j.contains("ood") && j["ood"].is_object()) readOodJson(j["ood"], r, context);
  const bool withheld = j.contains("study") && j["study"].is_object() && j["study"].value("withheld", false);
  // classify prints the verdict of an out-of-distribution series only when asked to (--show-anyway).
  r.shown_anyway = r.ood.out_of_distribution && !withheld;
  if (j.contains("study") && j["study"].is_object() && !withheld) {
    const json& v = j["study"];
    r.verdict.class_name = text(v, "verdict");
    r.verdict.rule = text(v, "rule");
    if (v.contains("slices") && v["slices"].is_number()) r.verdict.numbers["slices"] = v["slices"].get<double>();
    if (v.contains("top_k") && v["top_k"].is_number()) r.verdict.numbers["top_k"] = v["top_k"].get<double>();
    if (v.contains("scores") && v["scores"].is_object()) {
      for (auto it = v["scores"].begin(); it != v["scores"].end(); ++it) {
        for (const char* key : {"top_k_mean", "slices_over_threshold", "threshold"}) {
          if (it->contains(key) && (*it)[key].is_number()) {
            r.verdict.numbers[it.key() + "_" + key] = (*it)[key].get<double>();
          }
        }
      }
    }
  }
  return r;
}

AiResults loadAnyAiResultsFile(const std::filesystem::path& file) {
  const json j = readJsonFile(file, "predictions", "use classify's --format json output");
  try {
    if (j.is_object() && j.contains("format")) return aiResultsFromJson(j, file.string());
    return aiResultsFromClassifyJson(j, file.string());
  } catch (const json::exception& e) {
    // A value of an unexpected type that no check above names: still the file's fault, not ours.
    throw InputError(file.string(), std::string("predictions: unexpected content: ") + e.what());
  }
}

}  // namespace lunglens::core::exporting
