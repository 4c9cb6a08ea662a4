#include "core/inference/ood_guard.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace lunglens::core::inference {

double OodGuard::score(const float* f) const {
  const std::size_t d = static_cast<std::size_t>(dim);
  std::vector<double> diff(d), pd(d);
  double best = std::numeric_limits<double>::infinity();
  for (const auto& mean : means) {
    for (std::size_t i = 0; i < d; ++i) diff[i] = static_cast<double>(f[i]) - mean[i];
    double q = 0;
    for (std::size_t i = 0; i < d; ++i) {
      const float* row = precision.data() + i * d;
      double s = 0;
      for (std::size_t j = 0; j < d; ++j) s += row[j] * diff[j];
      q += diff[i] * s;
    }
    if (!std::isfinite(q)) return std::numeric_limits<double>::quiet_NaN();
    best = std::min(best, q);
  }
  return best;
}

namespace {

[[noreturn]] void fail(const fs::path& file, const std::string& message) {
  throw InputError(file.string(), "ood_guard.json: " + message);
}

double finiteNumber(const nlohmann::json& j, const char* name, const fs::path& file) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number()) fail(file, std::string("field '") + name + "' must be a number");
  const double v = it->get<double>();
  if (!std::isfinite(v)) fail(file, std::string("field '") + name + "' is not finite");
  return v;
}

std::vector<float> floatArray(const nlohmann::json& j, std::size_t expected, const fs::path& file,
                              const std::string& what) {
  if (!j.is_array() || j.size() != expected)
    fail(file, what + " must be an array of " + std::to_string(expected) + " numbers");
  std::vector<float> out;
  out.reserve(expected);
  for (const auto& v : j) {
    if (!v.is_number()) fail(file, what + " holds a value that is not a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || std::abs(x) > 1e30) fail(file, what + " holds a value out of range");
    out.push_back(static_cast<float>(x));
  }
  return out;
}

}  // namespace

OodGuard readOodGuard(const fs::path& file, const std::string& expected_model_sha256) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) fail(file, "not a regular file");
  // Guards hold at most a 4096-wide covariance as text; anything far larger is not one of ours.
  if (fs::file_size(file, ec) > (std::uintmax_t{1} << 30)) fail(file, "file too large");
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, "cannot be opened");
  nlohmann::json j;
  try {
    // Depth limit: a guard is three levels deep; refuse deeper nesting before building the tree.
    int depth = 0;
    j = nlohmann::json::parse(
        in, [&depth](int d, nlohmann::json::parse_event_t, nlohmann::json&) {
          if (d > 8) throw std::runtime_error("nested too deeply");
          depth = std::max(depth, d);
          return true;
        });
  } catch (const std::exception& e) {
    fail(file, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) fail(file, "must be a JSON object");
  OodGuard g;
  if (j.value("method", "") != g.method) fail(file, "field 'method' must be \"" + g.method + "\"");
  if (j.value("features", "") != g.features) fail(file, "field 'features' must be \"" + g.features + "\"");
  g.model_sha256 = j.value("model_sha256", "");
  if (!expected_model_sha256.empty() && g.model_sha256 != expected_model_sha256)
    fail(file, "fitted for another model.pt (model_sha256 differs): refit it with `lunglens-cli ood-fit`");
  const double dim = finiteNumber(j, "dim", file);
  if (dim < 1 || dim > 4096 || dim != std::floor(dim)) fail(file, "field 'dim' must be an integer in 1..4096");
  g.dim = static_cast<int>(dim);
  if (!j.contains("classes") || !j["classes"].is_array() || j["classes"].empty())
    fail(file, "field 'classes' must be a non-empty array");
  for (const auto& c : j["classes"]) {
    if (!c.is_string()) fail(file, "field 'classes' must hold strings");
    g.classes.push_back(c.get<std::string>());
  }
  if (!j.contains("means") || !j["means"].is_array() || j["means"].size() != g.classes.size())
    fail(file, "field 'means' must hold one vector per class");
  for (const auto& m : j["means"]) g.means.push_back(floatArray(m, static_cast<std::size_t>(g.dim), file, "a mean"));
  g.precision = floatArray(j.value("precision", nlohmann::json()), static_cast<std::size_t>(g.dim) * g.dim, file,
                           "field 'precision'");
  g.shrinkage = finiteNumber(j, "shrinkage", file);
  g.threshold = finiteNumber(j, "threshold", file);
  if (g.threshold <= 0) fail(file, "field 'threshold' must be positive");
  g.threshold_quantile = finiteNumber(j, "threshold_quantile", file);
  if (g.threshold_quantile <= 0.5 || g.threshold_quantile >= 1) fail(file, "field 'threshold_quantile' out of (0.5, 1)");
  g.training_slices = static_cast<int>(finiteNumber(j, "training_slices", file));
  g.validation_slices = static_cast<int>(finiteNumber(j, "validation_slices", file));
  g.validation_flag_rate = finiteNumber(j, "validation_flag_rate", file);
  return g;
}

void writeOodGuard(const OodGuard& g, const fs::path& file) {
  nlohmann::ordered_json j{{"method", g.method},
                           {"reference", "Lee K, Lee K, Lee H, Shin J. A Simple Unified Framework for Detecting "
                                         "Out-of-Distribution Samples and Adversarial Attacks. NeurIPS 2018"},
                           {"features", g.features},
                           {"model_sha256", g.model_sha256},
                           {"dim", g.dim},
                           {"classes", g.classes},
                           {"means", g.means},
                           {"precision", g.precision},
                           {"shrinkage", g.shrinkage},
                           {"threshold", g.threshold},
                           {"threshold_quantile", g.threshold_quantile},
                           {"training_slices", g.training_slices},
                           {"validation_slices", g.validation_slices},
                           {"validation_flag_rate", g.validation_flag_rate}};
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump() << '\n';
    if (!out) throw InputError(tmp.string(), "cannot write the OOD guard");
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw InputError(file.string(), "cannot write the OOD guard: " + ec.message());
  }
}

OodSummary summarizeOod(bool guarded, const std::vector<bool>& flagged) {
  OodSummary s;
  s.guarded = guarded;
  if (!guarded) return s;
  s.scored = static_cast<int>(flagged.size());
  for (bool f : flagged) s.flagged += f ? 1 : 0;
  s.out_of_distribution = s.scored > 0 && 2 * s.flagged > s.scored;
  return s;
}

const char* oodWithheldHeadline() {
  return "This series does not resemble the model's training data — scores withheld";
}

const char* oodWithheldShort() { return "Withheld: unlike the training data"; }
const char* oodShownAnywayShort() { return "Unlike the training data: shown anyway"; }

std::string oodCountsText(const OodSummary& s) {
  if (!s.guarded) return "the model has no out-of-distribution guard";
  return std::to_string(s.flagged) + " of " + std::to_string(s.scored) + " lung slices unlike the training data" +
         (s.out_of_distribution ? ": series out of distribution" : "");
}

}  // namespace lunglens::core::inference
