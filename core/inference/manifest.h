#pragma once
// A model bundle's manifest.json (schema_version 1, see docs/MODEL_BUNDLE.md): what the model is, how its input is
// built from HU, which outputs carry logits and the feature map, its thresholds and where it came from.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/volume/window.h"

namespace lunglens::core::inference {

enum class Task { Diagnosis, Manifestation };

std::string taskName(Task task);                        // "diagnosis" / "manifestation"
std::vector<std::string> taskClasses(Task task);         // {"covid","other_pneumonia","normal"} / {"ggo",...}

// How logits become probabilities. softmax (the contract's default): one class per slice. sigmoid: independent
// yes/no per class (optional manifest field "output_activation", added backwards-compatibly for multi-label use).
enum class Activation { Softmax, Sigmoid };

// How the model's input tensor [C, height, width] is built from one HU slice (see preprocess.h).
struct InputSpec {
  int height = 224;
  int width = 224;
  std::vector<volume::Window> channels;  // one HU window per input channel
  std::vector<double> mean;              // per channel, applied after windowing to [0, 1]
  std::vector<double> std;
  std::size_t valuesPerImage() const {
    return channels.size() * static_cast<std::size_t>(height) * static_cast<std::size_t>(width);
  }
};

struct Provenance {
  std::string training_data;      // e.g. "synthetic phantoms (LungLens phantom generator), not patients"
  bool synthetic = true;          // trained on synthetic data: the product then says so next to every score
  std::string date;               // YYYY-MM-DD
  std::string metrics_json = "{}";  // free-form evaluation numbers, kept as compact JSON text
};

struct Manifest {
  int schema_version = 1;
  std::string name;
  std::string version;
  Task task = Task::Diagnosis;
  std::vector<std::string> classes;  // a permutation of taskClasses(task); index = logit index
  std::string architecture;
  InputSpec input;
  int logits_output = 0;       // index of the logits [N, K] in the model's output tuple
  int feature_map_output = 1;  // index of the last conv feature map [N, F, h, w]
  std::map<std::string, double> thresholds;  // by class name; diagnosis needs "covid"
  Activation activation = Activation::Softmax;
  Provenance provenance;
  std::string model_sha256;  // lowercase hex of model.pt

  int classIndex(const std::string& cls) const;  // -1 if absent
  double threshold(const std::string& cls, double fallback) const;
};

// Parses and validates manifest text. Every problem throws InputError(context, "manifest.json: field '<f>': ...").
Manifest parseManifest(const std::string& json_text, const std::string& context);
// Reads <bundle_dir>/manifest.json; the context of errors is the bundle folder.
Manifest readManifest(const std::filesystem::path& bundle_dir);
// Serialises a manifest (pretty JSON) — for the trainer writing bundles, and for tests.
std::string manifestToJson(const Manifest& manifest);

}  // namespace lunglens::core::inference
