#include "core/phantom/phantom_set_makeup.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace lunglens::core::phantom {

namespace fs = std::filesystem;

namespace {

// "series=UID;flip=1,..." (core/hybrid's background descriptor) -> "UID"; the whole descriptor when it names no
// series (then each distinct descriptor counts as a series of its own).
std::string seriesOf(const std::string& background) {
  const std::string key = "series=";
  std::size_t at = 0;
  while (at < background.size()) {
    const std::size_t end = std::min(background.find(';', at), background.size());
    if (background.compare(at, key.size(), key) == 0) return background.substr(at + key.size(), end - at - key.size());
    at = end + 1;
  }
  return background;
}

}  // namespace

std::optional<PhantomSetMakeup> readPhantomSetMakeup(const fs::path& dir) {
  const fs::path file = dir / "dataset.json";
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  if (!in || !(text << in.rdbuf()) || in.bad())
    throw InputError(file.string(), "cannot read the phantom set's dataset.json");
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("subjects") || !json["subjects"].is_array())
    throw InputError(file.string(), "not a phantom set's dataset.json (no \"subjects\" list)");
  PhantomSetMakeup out;
  for (const auto& subject : json["subjects"]) {
    // A malformed entry would make "K of N subjects hybrid" wrong: refuse it rather than guess.
    if (!subject.is_object() || (subject.contains("background") && !subject["background"].is_string()))
      throw InputError(file.string(), "subject " + std::to_string(out.subjects + 1) + " is not a phantom set entry");
    ++out.subjects;
    if (!subject.contains("background") || subject["background"].get<std::string>().empty()) continue;
    ++out.hybrid_subjects;
    out.background_series.insert(seriesOf(subject["background"].get<std::string>()));
  }
  return out;
}

std::string phantomSetTrainingNote(const std::optional<PhantomSetMakeup>& makeup) {
  if (!makeup || makeup->hybrid_subjects == 0)
    return "trained on synthetic phantoms (LungLens phantom generator), not patients";
  const std::size_t series = makeup->background_series.size();
  const std::string anatomy = "real anatomy from " + std::to_string(series) + " CT series, synthetic findings";
  if (makeup->hybrid_subjects == makeup->subjects)
    return "trained on hybrid phantoms (" + anatomy + "; LungLens phantom generator), not on patients' findings";
  return "trained on stylised and hybrid phantoms (" + std::to_string(makeup->hybrid_subjects) + " of " +
         std::to_string(makeup->subjects) + " subjects hybrid: " + anatomy +
         "; LungLens phantom generator), not on patients' findings";
}

}  // namespace lunglens::core::phantom
