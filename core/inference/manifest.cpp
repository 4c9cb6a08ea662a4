#include "core/inference/manifest.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/json_read.h"

namespace lunglens::core::inference {
namespace {

using json = nlohmann::json;

constexpr int kMaxInputSide = 1024;
constexpr double kMaxWindowHu = 100000.0;  // HU values are int16: no useful window is wider or further out
constexpr double kMaxMeanStd = 1000.0;
constexpr double kMinStd = 1e-6;

// Reads fields out of the parsed JSON, naming the field (dotted path) in every error.
class Reader {
 public:
  explicit Reader(std::string context) : context_(std::move(context)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(context_, "manifest.json: field '" + field + "': " + what);
  }
  const json& need(const json& obj, const std::string& key, const std::string& path) const {
    const auto it = obj.find(key);
    if (it == obj.end()) fail(path, "missing");
    return *it;
  }
  std::string str(const json& obj, const std::string& key, const std::string& path) const {
    const json& v = need(obj, key, path);
    if (!v.is_string()) fail(path, "must be a string");
    const std::string s = v.get<std::string>();
    if (s.empty()) fail(path, "must not be empty");
    return s;
  }
  double num(const json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, "must be a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(path, "must be finite");
    return d;
  }
  int integer(const json& obj, const std::string& key, const std::string& path, int lo, int hi) const {
    const json& v = need(obj, key, path);
    if (!v.is_number_integer()) fail(path, "must be an integer");
    const auto i = v.get<long long>();
    if (i < lo || i > hi) fail(path, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(i);
  }
  const json& object(const json& obj, const std::string& key, const std::string& path) const {
    const json& v = need(obj, key, path);
    if (!v.is_object()) fail(path, "must be an object");
    return v;
  }
  std::vector<double> numbers(const json& obj, const std::string& key, const std::string& path, std::size_t n) const {
    const json& v = need(obj, key, path);
    if (!v.is_array()) fail(path, "must be an array of numbers");
    if (v.size() != n)
      fail(path, "must hold one number per input channel (" + std::to_string(n) + "), has " + std::to_string(v.size()));
    std::vector<double> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(num(v[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }

 private:
  std::string context_;
};

InputSpec readInput(const Reader& r, const json& root) {
  const json& in = r.object(root, "input", "input");
  InputSpec spec;
  // A CT slice is 512 x 512; 1024 leaves room. Bigger inputs only make the dry run allocate gigabytes.
  spec.height = r.integer(in, "height", "input.height", 8, kMaxInputSide);
  spec.width = r.integer(in, "width", "input.width", 8, kMaxInputSide);
  const json& channels = r.need(in, "channels", "input.channels");
  if (!channels.is_array() || channels.empty() || channels.size() > 16)
    r.fail("input.channels", "must be an array of 1 to 16 channel entries");
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const std::string path = "input.channels[" + std::to_string(i) + "]";
    if (!channels[i].is_object()) r.fail(path, "must be an object {\"window\": {\"width\", \"level\"}}");
    const json& w = r.object(channels[i], "window", path + ".window");
    volume::Window window;
    window.width = r.num(r.need(w, "width", path + ".window.width"), path + ".window.width");
    window.level = r.num(r.need(w, "level", path + ".window.level"), path + ".window.level");
    if (!(window.width >= 1.0 && window.width <= kMaxWindowHu))
      r.fail(path + ".window.width", "must lie between 1 and " + std::to_string(int(kMaxWindowHu)) + " HU");
    if (!(std::abs(window.level) <= kMaxWindowHu))
      r.fail(path + ".window.level", "must lie between -" + std::to_string(int(kMaxWindowHu)) + " and " +
                                         std::to_string(int(kMaxWindowHu)) + " HU");
    spec.channels.push_back(window);
  }
  spec.mean = r.numbers(in, "mean", "input.mean", spec.channels.size());
  spec.std = r.numbers(in, "std", "input.std", spec.channels.size());
  // Windowed values lie in [0, 1]: a mean or std far from that scale cannot be a real normalisation, and an
  // extreme one (std 1e-308, mean -1e308) turns every input into infinities and every probability into NaN.
  for (std::size_t i = 0; i < spec.mean.size(); ++i)
    if (!(std::abs(spec.mean[i]) <= kMaxMeanStd))
      r.fail("input.mean[" + std::to_string(i) + "]", "must lie between -1000 and 1000");
  for (std::size_t i = 0; i < spec.std.size(); ++i)
    if (!(spec.std[i] >= kMinStd && spec.std[i] <= kMaxMeanStd))
      r.fail("input.std[" + std::to_string(i) + "]", "must lie between 1e-6 and 1000");
  return spec;
}

Provenance readProvenance(const Reader& r, const json& root) {
  const json& p = r.object(root, "provenance", "provenance");
  Provenance out;
  out.training_data = r.str(p, "training_data", "provenance.training_data");
  const json& synthetic = r.need(p, "synthetic", "provenance.synthetic");
  if (!synthetic.is_boolean()) r.fail("provenance.synthetic", "must be true or false");
  out.synthetic = synthetic.get<bool>();
  out.date = r.str(p, "date", "provenance.date");
  if (!std::regex_match(out.date, std::regex(R"(\d{4}-\d{2}-\d{2})")))
    r.fail("provenance.date", "must be a date YYYY-MM-DD, is '" + out.date + "'");
  const auto metrics = p.find("metrics");
  if (metrics != p.end()) {
    if (!metrics->is_object()) r.fail("provenance.metrics", "must be an object");
    out.metrics_json = metrics->dump();
  }
  return out;
}

}  // namespace

std::string taskName(Task task) { return task == Task::Diagnosis ? "diagnosis" : "manifestation"; }

std::vector<std::string> taskClasses(Task task) {
  if (task == Task::Diagnosis) return {"covid", "other_pneumonia", "normal"};
  return {"ggo", "consolidation", "fibrotic_streaks"};
}

int Manifest::classIndex(const std::string& cls) const {
  const auto it = std::find(classes.begin(), classes.end(), cls);
  return it == classes.end() ? -1 : static_cast<int>(it - classes.begin());
}

double Manifest::threshold(const std::string& cls, double fallback) const {
  const auto it = thresholds.find(cls);
  return it == thresholds.end() ? fallback : it->second;
}

Manifest parseManifest(const std::string& json_text, const std::string& context) {
  const json root = parseJsonText(json_text, context, "manifest.json");
  const Reader r(context);
  if (!root.is_object()) r.fail("(top level)", "must be a JSON object");
  Manifest m;
  m.schema_version = r.integer(root, "schema_version", "schema_version", 0, 1000000);
  if (m.schema_version != 1)
    r.fail("schema_version", "unsupported version " + std::to_string(m.schema_version) + " (this LungLens reads 1)");
  m.name = r.str(root, "name", "name");
  m.version = r.str(root, "version", "version");
  const std::string task = r.str(root, "task", "task");
  if (task == "diagnosis") {
    m.task = Task::Diagnosis;
  } else if (task == "manifestation") {
    m.task = Task::Manifestation;
  } else {
    r.fail("task", "must be \"diagnosis\" or \"manifestation\", is \"" + task + "\"");
  }
  const json& classes = r.need(root, "classes", "classes");
  if (!classes.is_array()) r.fail("classes", "must be an array of class names");
  for (const auto& c : classes) {
    if (!c.is_string()) r.fail("classes", "must be an array of class names");
    m.classes.push_back(c.get<std::string>());
  }
  auto expected = taskClasses(m.task), sorted = m.classes;
  std::sort(expected.begin(), expected.end());
  std::sort(sorted.begin(), sorted.end());
  if (sorted != expected) {
    std::string list;
    for (const auto& c : taskClasses(m.task)) list += (list.empty() ? "" : ", ") + c;
    r.fail("classes", "a " + task + " model must have exactly the classes " + list + " (any order)");
  }
  m.architecture = r.str(root, "architecture", "architecture");
  m.input = readInput(r, root);
  const json& outputs = r.object(root, "outputs", "outputs");
  m.logits_output = r.integer(outputs, "logits", "outputs.logits", 0, 15);
  m.feature_map_output = r.integer(outputs, "feature_map", "outputs.feature_map", 0, 15);
  if (m.logits_output == m.feature_map_output) r.fail("outputs", "logits and feature_map must be different outputs");

  const json& thresholds = r.object(root, "thresholds", "thresholds");
  for (auto it = thresholds.begin(); it != thresholds.end(); ++it) {
    const std::string path = "thresholds." + it.key();
    // A manifestation model may carry the COVID gate it expects the diagnosis to pass.
    if (m.classIndex(it.key()) < 0 && it.key() != "covid") r.fail(path, "is not a class of this model");
    const double t = r.num(it.value(), path);
    if (!(t > 0.0 && t < 1.0)) r.fail(path, "must lie strictly between 0 and 1");
    m.thresholds[it.key()] = t;
  }
  if (m.task == Task::Diagnosis && !m.thresholds.count("covid"))
    r.fail("thresholds.covid", "missing (a diagnosis model must say when a slice counts as COVID)");

  if (const auto act = root.find("output_activation"); act != root.end()) {
    if (*act == "softmax") {
      m.activation = Activation::Softmax;
    } else if (*act == "sigmoid") {
      m.activation = Activation::Sigmoid;
    } else {
      r.fail("output_activation", "must be \"softmax\" or \"sigmoid\"");
    }
  }
  m.provenance = readProvenance(r, root);
  m.model_sha256 = r.str(root, "model_sha256", "model_sha256");
  if (!std::regex_match(m.model_sha256, std::regex("[0-9a-fA-F]{64}")))
    r.fail("model_sha256", "must be 64 hex digits (the sha256 of model.pt)");
  std::transform(m.model_sha256.begin(), m.model_sha256.end(), m.model_sha256.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return m;
}

Manifest readManifest(const std::filesystem::path& bundle_dir) {
  const auto file = bundle_dir / "manifest.json";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw InputError(bundle_dir.string(), "manifest.json is missing or unreadable");
  // A manifest is a few kilobytes; a FIFO or a huge file named manifest.json is refused without reading it.
  return parseManifest(readRegularFile(file, "manifest.json", 1u << 20), bundle_dir.string());
}

std::string manifestToJson(const Manifest& m) {
  json channels = json::array();
  for (const auto& w : m.input.channels) channels.push_back({{"window", {{"width", w.width}, {"level", w.level}}}});
  json thresholds = json::object();
  for (const auto& [k, v] : m.thresholds) thresholds[k] = v;
  json root = {
      {"schema_version", m.schema_version},
      {"name", m.name},
      {"version", m.version},
      {"task", taskName(m.task)},
      {"classes", m.classes},
      {"architecture", m.architecture},
      {"input",
       {{"height", m.input.height}, {"width", m.input.width}, {"channels", channels}, {"mean", m.input.mean},
        {"std", m.input.std}}},
      {"outputs", {{"logits", m.logits_output}, {"feature_map", m.feature_map_output}}},
      {"thresholds", thresholds},
      {"provenance",
       {{"training_data", m.provenance.training_data},
        {"synthetic", m.provenance.synthetic},
        {"date", m.provenance.date},
        {"metrics", json::parse(m.provenance.metrics_json.empty() ? "{}" : m.provenance.metrics_json)}}},
      {"model_sha256", m.model_sha256},
  };
  if (m.activation == Activation::Sigmoid) root["output_activation"] = "sigmoid";
  return root.dump(2) + "\n";
}

}  // namespace lunglens::core::inference
