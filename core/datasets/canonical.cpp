#include "core/datasets/canonical.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/common/error.h"
#include "core/datasets/problems.h"

namespace lunglens::core::datasets {

namespace fs = std::filesystem;
using nlohmann::json;

std::size_t CanonicalDataset::sliceCount() const {
  std::size_t n = 0;
  for (const auto& subject : subjects)
    for (const auto& series : subject.series) n += series.slices.size();
  return n;
}

fs::path CanonicalDataset::resolve(const std::string& file) const {
  const fs::path p(file);
  return p.is_absolute() ? p : fs::path(source) / p;
}

std::string toJson(const CanonicalDataset& d) {
  json subjects = json::array();
  for (const auto& subject : d.subjects) {
    json series = json::array();
    for (const auto& s : subject.series) {
      json slices = json::array();
      for (const auto& sl : s.slices) {
        json j = {{"file", sl.file}, {"label", sl.label}, {"instance_number", sl.instance_number}};
        if (sl.frame >= 0) j["frame"] = sl.frame;
        if (!sl.sop_instance_uid.empty()) j["sop_instance_uid"] = sl.sop_instance_uid;
        if (sl.manifestation)
          j["manifestation"] = {{"ggo", (*sl.manifestation)[0]},
                                {"consolidation", (*sl.manifestation)[1]},
                                {"fibrotic_streaks", (*sl.manifestation)[2]}};
        if (sl.finding_area_mm2 >= 0) j["finding_area_mm2"] = sl.finding_area_mm2;
        slices.push_back(std::move(j));
      }
      series.push_back({{"uid", s.uid}, {"path", s.path}, {"rows", s.rows}, {"cols", s.cols},
                        {"spacing_mm", s.spacing_mm}, {"slices", std::move(slices)}});
    }
    subjects.push_back({{"id", subject.id}, {"label", subject.label}, {"series", std::move(series)}});
  }
  const json out = {{"schema_version", kSchemaVersion},
                    {"name", d.name},
                    {"format", d.format},
                    {"source", d.source},
                    {"licence", d.licence},
                    {"citation", d.citation},
                    {"imported_utc", d.imported_utc},
                    {"tool", d.tool},
                    {"notes", d.notes},
                    {"classes", d.classes},
                    {"subject_count", d.subjects.size()},
                    {"slice_count", d.sliceCount()},
                    {"subjects", std::move(subjects)}};
  return out.dump(1) + "\n";
}

bool isDatasetDir(const fs::path& path) {
  // A phantom set (core/phantom/phantom_set.h) also writes a dataset.json, of its own kind ("generator_version"):
  // only a manifest with our schema_version makes the folder an imported dataset.
  std::ifstream in(path / kManifestFile);
  if (!in) return false;
  const json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
  return j.is_object() && j.contains("schema_version") && !j.contains("generator_version");
}

CanonicalDataset readDataset(const fs::path& dir_or_file) {
  const fs::path file = fs::is_directory(dir_or_file) ? dir_or_file / kManifestFile : dir_or_file;
  std::ifstream in(file);
  if (!in) throw InputError(file.string(), "cannot open the dataset manifest");
  CanonicalDataset d;
  try {
    const json j = json::parse(in);
    if (j.at("schema_version").get<int>() != kSchemaVersion)
      throw InputError(file.string(), "schema_version " + std::to_string(j.at("schema_version").get<int>()) +
                                          " is not " + std::to_string(kSchemaVersion));
    d.name = j.at("name").get<std::string>();
    d.format = j.at("format").get<std::string>();
    d.source = j.at("source").get<std::string>();
    d.licence = j.at("licence").get<std::string>();
    d.citation = j.value("citation", "");
    d.imported_utc = j.value("imported_utc", "");
    d.tool = j.value("tool", "");
    d.notes = j.value("notes", std::vector<std::string>{});
    d.classes = j.at("classes").get<std::vector<std::string>>();
    for (const auto& js : j.at("subjects")) {
      CanonicalSubject subject;
      subject.id = js.at("id").get<std::string>();
      subject.label = js.at("label").get<std::string>();
      for (const auto& jr : js.at("series")) {
        CanonicalSeries s;
        s.uid = jr.at("uid").get<std::string>();
        s.path = jr.value("path", "");
        s.rows = jr.value("rows", 0);
        s.cols = jr.value("cols", 0);
        s.spacing_mm = jr.value("spacing_mm", std::array<double, 3>{0, 0, 0});
        for (const auto& jl : jr.at("slices")) {
          CanonicalSlice sl;
          sl.file = jl.at("file").get<std::string>();
          sl.label = jl.at("label").get<std::string>();
          sl.frame = jl.value("frame", -1);
          sl.instance_number = jl.value("instance_number", 0);
          sl.sop_instance_uid = jl.value("sop_instance_uid", "");
          if (jl.contains("manifestation")) {
            const auto& m = jl.at("manifestation");
            sl.manifestation = std::array<double, 3>{m.at("ggo").get<double>(), m.at("consolidation").get<double>(),
                                                     m.at("fibrotic_streaks").get<double>()};
          }
          sl.finding_area_mm2 = jl.value("finding_area_mm2", -1.0);
          s.slices.push_back(std::move(sl));
        }
        subject.series.push_back(std::move(s));
      }
      d.subjects.push_back(std::move(subject));
    }
  } catch (const json::exception& e) {
    throw InputError(file.string(), std::string("not a valid dataset manifest: ") + e.what());
  }
  validate(d, file.string(), /*check_files=*/false);
  return d;
}

void validate(const CanonicalDataset& d, const std::string& context, bool check_files) {
  Problems problems;
  const auto known = [&](const std::string& label) {
    return std::find(d.classes.begin(), d.classes.end(), label) != d.classes.end();
  };
  if (d.classes != inference::taskClasses(inference::Task::Diagnosis))
    problems.add(context, "classes must be covid, other_pneumonia, normal");
  if (d.licence.empty()) problems.add(context, "no licence text (say under which terms the data may be used)");
  if (d.subjects.empty()) problems.add(context, "no subjects");
  std::set<std::string> ids;
  for (const auto& subject : d.subjects) {
    const std::string where = context + ": subject '" + subject.id + "'";
    if (subject.id.empty()) problems.add(context, "a subject with an empty id");
    if (!ids.insert(subject.id).second) problems.add(where, "listed twice (one subject, one entry)");
    if (!known(subject.label)) problems.add(where, "unknown label '" + subject.label + "'");
    std::size_t slices = 0;
    for (const auto& series : subject.series) {
      for (const auto& sl : series.slices) {
        ++slices;
        if (!known(sl.label)) problems.add(where + ", " + sl.file, "unknown label '" + sl.label + "'");
        if (sl.label != "normal" && sl.label != subject.label)
          problems.add(where + ", " + sl.file, "slice labelled " + sl.label + " in a " + subject.label + " subject");
        if (sl.manifestation)
          for (double f : *sl.manifestation)
            if (!std::isfinite(f) || f < 0 || f > 1) problems.add(where + ", " + sl.file, "fraction outside 0..1");
        if (check_files && !fs::exists(d.resolve(sl.file)))
          problems.add(where, "file " + d.resolve(sl.file).string() + " does not exist");
      }
    }
    if (slices == 0) problems.add(where, "has no slices");
  }
  problems.throwIfAny(context);
}

training::Dataset toTrainingDataset(const CanonicalDataset& d, const fs::path& dir, inference::Task task) {
  training::Dataset out;
  out.classes = inference::taskClasses(task);
  out.canonical_dir = dir;
  int index = 0;
  for (const auto& subject : d.subjects) {
    for (const auto& series : subject.series) {
      int position = 0;
      for (const auto& sl : series.slices) {
        const int cache_index = index++;
        training::SliceSample sample;
        sample.subject_id = subject.id;
        sample.file = d.resolve(sl.file);
        sample.frame = sl.frame;
        sample.slice_index = position++;
        sample.cache_index = cache_index;
        if (task == inference::Task::Diagnosis) {
          sample.label = static_cast<int>(std::find(out.classes.begin(), out.classes.end(), sl.label) -
                                          out.classes.begin());
        } else {
          if (sl.label != "covid" || !sl.manifestation) continue;
          const auto& f = *sl.manifestation;
          const auto largest = std::max_element(f.begin(), f.end());
          if (*largest <= 0.0) continue;
          sample.label = static_cast<int>(largest - f.begin());
        }
        out.subject_labels.emplace(subject.id, task == inference::Task::Diagnosis ? subject.label : "covid");
        out.samples.push_back(std::move(sample));
      }
    }
  }
  return out;
}

}  // namespace lunglens::core::datasets
