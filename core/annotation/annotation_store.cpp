#include "core/annotation/annotation_store.h"

#include "core/common/json_file.h"

#include <map>

#include "core/common/error.h"
#include "core/common/paths.h"
#include "core/common/sha256.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace lunglens::core::annotation {
namespace {

constexpr const char* kFormat = "lunglens-annotations";
constexpr int kVersion = 1;


bool isDicomUid(const std::string& uid) {
  if (uid.empty() || uid.size() > 64 || uid.front() == '.' || uid.back() == '.') return false;
  for (char c : uid) {
    if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
  }
  return uid.find("..") == std::string::npos;
}

}  // namespace

json toJson(const StudyAnnotations& study) {
  json annotations = json::array();
  for (const auto& a : study.annotations) {
    json points = json::array();
    for (const auto& p : a.points) points.push_back({p.x, p.y});
    annotations.push_back({{"id", a.id},
                           {"kind", toString(a.kind)},
                           {"series_uid", a.series_uid},
                           {"slice", a.slice},
                           {"sop_instance_uid", a.sop_instance_uid},
                           {"points", points},
                           {"text", a.text}});
  }
  json bookmarks = json::array();
  for (const auto& b : study.bookmarks) {
    bookmarks.push_back(
        {{"series_uid", b.series_uid}, {"slice", b.slice}, {"sop_instance_uid", b.sop_instance_uid}, {"note", b.note}});
  }
  return {{"format", kFormat},
          {"version", kVersion},
          {"study_uid", study.study_uid},
          {"annotations", annotations},
          {"bookmarks", bookmarks}};
}

StudyAnnotations studyAnnotationsFromJson(const json& j, const std::string& context) {
  if (!j.is_object()) throw InputError(context, "not a JSON object");
  if (jsonField<std::string>(j, "format", context, "") != kFormat) {
    throw InputError(context, std::string("not a LungLens annotations file (\"format\" must be \"") + kFormat + "\")");
  }
  const int version = jsonField<int>(j, "version", context, 0);
  if (version != kVersion) {
    throw InputError(context, "annotations format version " + std::to_string(version) + " is not supported");
  }
  StudyAnnotations study;
  study.study_uid = jsonField<std::string>(j, "study_uid", context, "");
  const json annotations = jsonField<json>(j, "annotations", context, json::array());
  if (!annotations.is_array()) throw InputError(context, "'annotations' must be an array");
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const json& item = annotations[i];
    const std::string where = context + ": annotations[" + std::to_string(i) + "]";
    if (!item.is_object()) throw InputError(where, "not an object");
    Annotation a;
    a.id = jsonField<AnnotationId>(item, "id", where, 0);
    a.kind = parseAnnotationKind(jsonField<std::string>(item, "kind", where, ""));
    a.series_uid = jsonField<std::string>(item, "series_uid", where, "");
    a.slice = jsonField<int>(item, "slice", where, -1);
    a.sop_instance_uid = jsonField<std::string>(item, "sop_instance_uid", where, "");
    a.text = jsonField<std::string>(item, "text", where, "");
    const json points = jsonField<json>(item, "points", where, json::array());
    if (!points.is_array()) throw InputError(where, "'points' must be an array of [x, y]");
    for (const auto& p : points) {
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number()) {
        throw InputError(where, "each point must be [x, y] numbers");
      }
      a.points.push_back({p[0].get<double>(), p[1].get<double>()});
    }
    if (a.id == 0 || study.find(a.id)) throw InputError(where, "missing or duplicate id");
    try {
      validate(a);
    } catch (const InputError& e) {
      throw InputError(where, e.what());
    }
    study.annotations.push_back(std::move(a));
  }
  const json bookmarks = jsonField<json>(j, "bookmarks", context, json::array());
  if (!bookmarks.is_array()) throw InputError(context, "'bookmarks' must be an array");
  for (std::size_t i = 0; i < bookmarks.size(); ++i) {
    const std::string where = context + ": bookmarks[" + std::to_string(i) + "]";
    if (!bookmarks[i].is_object()) throw InputError(where, "not an object");
    Bookmark b;
    b.series_uid = jsonField<std::string>(bookmarks[i], "series_uid", where, "");
    b.slice = jsonField<int>(bookmarks[i], "slice", where, -1);
    b.sop_instance_uid = jsonField<std::string>(bookmarks[i], "sop_instance_uid", where, "");
    b.note = jsonField<std::string>(bookmarks[i], "note", where, "");
    if (b.slice < 0) throw InputError(where, "missing or negative slice");
    study.bookmarks.push_back(std::move(b));
  }
  return study;
}

StudyAnnotations loadAnnotationsFile(const fs::path& file) {
  return studyAnnotationsFromJson(readJsonFile(file, "annotations"), file.string());
}

void saveAnnotationsFile(const StudyAnnotations& study, const fs::path& file, bool overwrite) {
  writeFileAtomically(file, toJson(study).dump(2) + "\n", overwrite);
}

int relinkToSeries(StudyAnnotations& study, const dicom::SeriesInfo& series) {
  std::map<std::string, int> indexOf;
  for (std::size_t i = 0; i < series.slices.size(); ++i) indexOf[series.slices[i].sop_instance_uid] = static_cast<int>(i);
  int moved = 0;
  auto relink = [&](const std::string& seriesUid, int& slice, std::string& sop) {
    if (seriesUid != series.series_uid) return;
    if (sop.empty()) {
      if (slice >= 0 && slice < static_cast<int>(series.slices.size())) {
        sop = series.slices[static_cast<std::size_t>(slice)].sop_instance_uid;
      }
      return;
    }
    const auto it = indexOf.find(sop);
    if (it != indexOf.end() && it->second != slice) {
      slice = it->second;
      ++moved;
    }
  };
  for (auto& a : study.annotations) relink(a.series_uid, a.slice, a.sop_instance_uid);
  for (auto& b : study.bookmarks) relink(b.series_uid, b.slice, b.sop_instance_uid);
  return moved;
}

AnnotationStore::AnnotationStore() : root_(userDataDir() / "annotations") {}
AnnotationStore::AnnotationStore(fs::path root) : root_(std::move(root)) {}

std::string annotationKey(const dicom::SeriesInfo& series) {
  if (!series.study_uid.empty()) return series.study_uid;
  return series.series_uid.empty() ? std::string() : "series:" + series.series_uid;
}

fs::path AnnotationStore::fileFor(const std::string& study_uid) const {
  if (study_uid.empty()) {
    throw InputError("annotations", "the series has neither a study nor a series UID to keep them under");
  }
  return root_ / ((isDicomUid(study_uid) ? study_uid : "uid-" + core::sha256Hex(study_uid)) + ".json");
}

StudyAnnotations AnnotationStore::load(const std::string& study_uid) const {
  const fs::path file = fileFor(study_uid);
  if (!fs::exists(file)) {
    StudyAnnotations empty;
    empty.study_uid = study_uid;
    return empty;
  }
  StudyAnnotations study = loadAnnotationsFile(file);
  if (study.study_uid != study_uid) {
    throw InputError(file.string(), "holds annotations of study '" + study.study_uid + "'");
  }
  return study;
}

void AnnotationStore::save(const StudyAnnotations& study) const {
  const fs::path file = fileFor(study.study_uid);
  if (study.annotations.empty() && study.bookmarks.empty()) {
    std::error_code ec;
    fs::remove(file, ec);
    if (ec) throw InputError(file.string(), "cannot remove the empty annotations file: " + ec.message());
    return;
  }
  std::error_code ec;
  fs::create_directories(root_, ec);
  if (ec) throw InputError(root_.string(), "cannot create the annotations folder: " + ec.message());
  saveAnnotationsFile(study, file, true);
}

}  // namespace lunglens::core::annotation
