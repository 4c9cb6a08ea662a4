#include "core/export/ai_results.h"

#include "core/common/disclaimer.h"
#include "core/common/json_file.h"

#include <algorithm>
#include <cmath>

#include "core/common/error.h"
#include "core/inference/slice_class.h"

using nlohmann::json;

namespace lunglens::core::exporting {
namespace {

constexpr const char* kFormat = "lunglens-ai-results";


void checkProbabilities(const std::vector<double>& p, std::size_t want, const std::string& what,
                        const std::string& context) {
  if (p.size() != want) {
    throw InputError(context, what + ": " + std::to_string(p.size()) + " values for " + std::to_string(want) +
                                  " classes");
  }
  for (double v : p) {
    if (!std::isfinite(v) || v < 0.0 || v > 1.0) throw InputError(context, what + ": a value is not in [0, 1]");
  }
}

}  // namespace

const SliceScores* AiResults::slice(int index) const {
  for (const auto& s : slices) {
    if (s.index == index) return &s;
  }
  return nullptr;
}

std::string AiResults::topClass(const SliceScores& scores) const {
  return inference::topClass(scores.probabilities, classes);
}

std::string displayClassName(const std::string& name) {
  static const std::map<std::string, std::string> names = {
      {"covid", "COVID-19"},
      {"other_pneumonia", "Other pneumonia"},
      {"pneumonia", "Other pneumonia"},
      {"normal", "Normal"},
      {"ggo", "Ground-glass opacity"},
      {"consolidation", "Consolidation"},
      {"fibrotic_streaks", "Fibrotic streaks"},
      {"fibrosis", "Fibrotic streaks"}};
  const auto it = names.find(name);
  return it == names.end() ? name : it->second;
}

std::string oodWarningText(const AiResults& r) {
  if (!r.ood.out_of_distribution) return "";
  const std::string counts = inference::oodCountsText(r.ood);
  if (r.shown_anyway)
    return "This series does not resemble the model's training data — scores shown anyway at the reader's "
           "request; do not rely on them (" + counts + ")";
  return std::string(inference::oodWithheldHeadline()) + " (" + counts + ")";
}

std::vector<int> suspiciousSlices(const AiResults& r) {
  if (r.withheld()) return {};
  std::vector<int> out = r.verdict.flagged_slices;
  const auto normal = std::find(r.classes.begin(), r.classes.end(), "normal") - r.classes.begin();
  if (out.empty() && normal < static_cast<std::ptrdiff_t>(r.classes.size())) {
    for (const auto& s : r.slices) {
      if (s.probabilities.size() != r.classes.size()) continue;
      if (!inference::calledNormal(s.probabilities, r.classes)) out.push_back(s.index);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string disclaimerText(const ModelInfo& model) {
  return disclaimer(model.trained_on_synthetic);
}

json toJson(const AiResults& r) {
  json slices = json::array();
  for (const auto& s : r.slices) {
    json slice = {{"index", s.index},
                  {"sop_instance_uid", s.sop_instance_uid},
                  {"probabilities", s.probabilities},
                  {"manifestation", s.manifestation}};
    if (s.ood_score) {
      slice["ood_score"] = *s.ood_score;
      slice["out_of_distribution"] = s.out_of_distribution;
    }
    slices.push_back(std::move(slice));
  }
  return {{"format", kFormat},
          {"version", 1},
          {"study_uid", r.study_uid},
          {"series_uid", r.series_uid},
          {"model",
           {{"name", r.model.name},
            {"version", r.model.version},
            {"provenance", r.model.provenance},
            {"trained_on_synthetic", r.model.trained_on_synthetic}}},
          {"classes", r.classes},
          {"manifestation_classes", r.manifestation_classes},
          {"slices", slices},
          {"verdict",
           {{"class", r.verdict.class_name},
            {"numbers", r.verdict.numbers},
            {"rule", r.verdict.rule},
            {"flagged_slices", r.verdict.flagged_slices}}},
          {"ood", oodJson(r)}};
}

json oodJson(const AiResults& r) {
  return {{"guarded", r.ood.guarded},
          {"scored_slices", r.ood.scored},
          {"flagged_slices", r.ood.flagged},
          {"out_of_distribution", r.ood.out_of_distribution},
          {"shown_anyway", r.shown_anyway},
          {"withheld", r.withheld()},
          {"message", r.ood.out_of_distribution ? oodWarningText(r) : inference::oodCountsText(r.ood)}};
}

void readOodJson(const json& j, AiResults& r, const std::string& context) {
  const std::string where = context + ": ood";
  r.ood.guarded = jsonField<bool>(j, "guarded", where, false);
  r.ood.scored = jsonField<int>(j, "scored_slices", where, 0);
  r.ood.flagged = jsonField<int>(j, "flagged_slices", where, 0);
  r.ood.out_of_distribution = jsonField<bool>(j, "out_of_distribution", where, false);
  r.shown_anyway = jsonField<bool>(j, "shown_anyway", where, false);
  if (r.ood.scored < 0 || r.ood.flagged < 0 || r.ood.flagged > r.ood.scored)
    throw InputError(where, "flagged_slices must lie between 0 and scored_slices");
}

AiResults aiResultsFromJson(const json& j, const std::string& context) {
  if (!j.is_object() || jsonField<std::string>(j, "format", context, "") != kFormat) {
    throw InputError(context, std::string("not a LungLens AI results file (\"format\" must be \"") + kFormat + "\")");
  }
  if (jsonField<int>(j, "version", context, 0) != 1) throw InputError(context, "unsupported AI results version");
  AiResults r;
  r.study_uid = jsonField<std::string>(j, "study_uid", context, "");
  r.series_uid = jsonField<std::string>(j, "series_uid", context, "");
  const json model = jsonField<json>(j, "model", context, json::object());
  r.model.name = jsonField<std::string>(model, "name", context + ": model", "");
  r.model.version = jsonField<std::string>(model, "version", context + ": model", "");
  r.model.provenance = jsonField<std::string>(model, "provenance", context + ": model", "");
  r.model.trained_on_synthetic = jsonField<bool>(model, "trained_on_synthetic", context + ": model", true);
  r.classes = jsonField<std::vector<std::string>>(j, "classes", context, {});
  r.manifestation_classes = jsonField<std::vector<std::string>>(j, "manifestation_classes", context, {});
  if (r.classes.empty()) throw InputError(context, "'classes' is missing or empty");
  const json slices = jsonField<json>(j, "slices", context, json::array());
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const std::string where = context + ": slices[" + std::to_string(i) + "]";
    SliceScores s;
    s.index = jsonField<int>(slices[i], "index", where, -1);
    if (s.index < 0) throw InputError(where, "missing or negative index");
    s.sop_instance_uid = jsonField<std::string>(slices[i], "sop_instance_uid", where, "");
    s.probabilities = jsonField<std::vector<double>>(slices[i], "probabilities", where, {});
    s.manifestation = jsonField<std::vector<double>>(slices[i], "manifestation", where, {});
    if (slices[i].contains("ood_score") && !slices[i]["ood_score"].is_null()) {
      s.ood_score = jsonField<double>(slices[i], "ood_score", where, 0.0);
      s.out_of_distribution = jsonField<bool>(slices[i], "out_of_distribution", where, false);
    }
    checkProbabilities(s.probabilities, r.classes.size(), "probabilities", where);
    if (!s.manifestation.empty()) {
      checkProbabilities(s.manifestation, r.manifestation_classes.size(), "manifestation", where);
    }
    r.slices.push_back(std::move(s));
  }
  std::sort(r.slices.begin(), r.slices.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
  const json verdict = jsonField<json>(j, "verdict", context, json::object());
  r.verdict.class_name = jsonField<std::string>(verdict, "class", context + ": verdict", "");
  r.verdict.numbers = jsonField<std::map<std::string, double>>(verdict, "numbers", context + ": verdict", {});
  r.verdict.rule = jsonField<std::string>(verdict, "rule", context + ": verdict", "");
  r.verdict.flagged_slices = jsonField<std::vector<int>>(verdict, "flagged_slices", context + ": verdict", {});
  if (j.contains("ood")) readOodJson(j["ood"], r, context);
  return r;
}

AiResults loadAiResultsFile(const std::filesystem::path& file) {
  const json j = readJsonFile(file, "AI results");
  try {
    return aiResultsFromJson(j, file.string());
  } catch (const json::exception& e) {
    throw InputError(file.string(), std::string("AI results: unexpected content: ") + e.what());
  }
}

}  // namespace lunglens::core::exporting
