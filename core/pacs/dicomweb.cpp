#include "core/pacs/dicomweb.h"

#include <QUrl>
#include <QUrlQuery>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/error.h"
#include "core/pacs/http_client.h"
#include "core/pacs/multipart.h"
#include "core/pacs/staging.h"

namespace lunglens::core::pacs {
namespace {

using nlohmann::json;

std::string base(const Node& node) {
  std::string b = node.dicomweb_url;
  while (!b.empty() && b.back() == '/') b.pop_back();
  if (b.empty()) throw InputError(node.label(), "no DICOMweb URL for this node");
  return b;
}

// A DICOM JSON attribute's first value as text ("" when absent); person names give their alphabetic form.
std::string value(const json& dataset, const char* tag) {
  const auto it = dataset.find(tag);
  if (it == dataset.end() || !it->is_object()) return "";
  const auto v = it->find("Value");
  if (v == it->end() || !v->is_array() || v->empty()) return "";
  std::string out;
  for (const auto& item : *v) {
    std::string one;
    if (item.is_string()) one = item.get<std::string>();
    else if (item.is_number_integer()) one = std::to_string(item.get<long long>());
    else if (item.is_number()) one = std::to_string(item.get<double>());
    else if (item.is_object() && item.contains("Alphabetic") && item["Alphabetic"].is_string()) one = item["Alphabetic"];
    out += (out.empty() ? "" : "\\") + one;
  }
  return out;
}

int intValue(const json& dataset, const char* tag, int fallback) {
  const std::string v = value(dataset, tag);
  try {
    return v.empty() ? fallback : std::stoi(v);
  } catch (const std::exception&) {
    return fallback;
  }
}

json parseJsonArray(const Node& node, const detail::HttpResponse& r, const std::string& what) {
  if (r.status == 204 || r.body.empty()) return json::array();
  try {
    json doc = json::parse(r.body);
    if (!doc.is_array()) throw std::runtime_error("not an array");
    return doc;
  } catch (const std::exception& e) {
    throw InputError(node.label(), what + ": the answer is not DICOM JSON (" + e.what() + ")");
  }
}

std::string readFile(const std::filesystem::path& f) {
  std::ifstream in(f, std::ios::binary);
  if (!in) throw InputError(f.string(), "cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

void webEcho(const Node& node, const Credentials& credentials) {
  detail::HttpRequest req;
  req.url = base(node) + "/studies?limit=1";
  req.headers["Accept"] = "application/dicom+json";
  const auto r = detail::httpRequest(node, credentials, req);
  if (r.status != 200 && r.status != 204) throw InputError(node.label(), detail::httpStatusMessage(r, "QIDO-RS"));
}

std::vector<Match> webFind(const Node& node, const Credentials& credentials, const Query& q) {
  const std::string range = dateRange(q);
  const bool series = q.level == Level::Series;
  QUrlQuery params;
  auto add = [&](const char* key, const std::string& v) {
    if (!v.empty()) params.addQueryItem(key, QString::fromStdString(v));
  };
  add("PatientName", q.patient_name.empty() ? "" : containsPattern(q.patient_name));
  add("PatientID", q.patient_id);
  add("AccessionNumber", q.accession_number);
  add("StudyDate", range);
  add("StudyInstanceUID", q.study_uid);
  if (series) {
    add("Modality", q.modality);
    add("SeriesDescription", q.description.empty() ? "" : containsPattern(q.description));
  } else {
    add("ModalitiesInStudy", q.modality);
    add("StudyDescription", q.description.empty() ? "" : containsPattern(q.description));
  }
  for (const char* field : {"PatientName", "PatientID", "PatientBirthDate", "StudyDate", "StudyTime",
                            "StudyDescription", "AccessionNumber", "ModalitiesInStudy"}) {
    params.addQueryItem("includefield", field);
  }
  if (series) {
    for (const char* field : {"SeriesDescription", "SeriesNumber", "Modality", "NumberOfSeriesRelatedInstances"}) {
      params.addQueryItem("includefield", field);
    }
  } else {
    params.addQueryItem("includefield", "NumberOfStudyRelatedInstances");
  }
  QUrl url(QString::fromStdString(base(node) + (series ? "/series" : "/studies")));
  url.setQuery(params);
  detail::HttpRequest req;
  req.url = url.toString(QUrl::FullyEncoded).toStdString();
  req.headers["Accept"] = "application/dicom+json";
  const auto r = detail::httpRequest(node, credentials, req);
  if (r.status != 200 && r.status != 204) throw InputError(node.label(), detail::httpStatusMessage(r, "QIDO-RS"));
  std::vector<Match> out;
  for (const auto& ds : parseJsonArray(node, r, "QIDO-RS")) {
    Match m;
    m.level = q.level;
    m.patient_name = value(ds, "00100010");
    m.patient_id = value(ds, "00100020");
    m.patient_birth_date = value(ds, "00100030");
    m.study_uid = value(ds, "0020000D");
    m.study_date = value(ds, "00080020");
    m.study_time = value(ds, "00080030");
    m.study_description = value(ds, "00081030");
    m.accession_number = value(ds, "00080050");
    m.modalities = value(ds, "00080061");
    if (series) {
      m.series_uid = value(ds, "0020000E");
      m.series_description = value(ds, "0008103E");
      m.series_number = intValue(ds, "00200011", 0);
      m.modality = value(ds, "00080060");
      if (m.modalities.empty()) m.modalities = m.modality;
      m.instances = intValue(ds, "00201209", -1);
    } else {
      m.instances = intValue(ds, "00201208", -1);
    }
    out.push_back(std::move(m));
  }
  return out;
}

int webRetrieve(const Node& node, const Credentials& credentials, const std::string& study_uid,
                const std::string& series_uid, const std::filesystem::path& destination,
                const TransferOptions& options) {
  if (study_uid.empty()) throw InputError(node.label(), "WADO-RS needs a study UID");
  // How many to expect, for progress.
  const int total = expectedInstances(webFind(node, credentials, expectedCountQuery(study_uid, series_uid)),
                                      node.label(), study_uid, series_uid);
  options.cancel.throwIfCancelled();
  StagingFolder staging(destination);
  detail::MultipartReader reader("", [&](const std::string& type, std::string&& body) {
    options.cancel.throwIfCancelled();  // parts already received in one read still stop at a cancel
    if (!type.empty() && type.find("application/dicom") == std::string::npos) {
      throw InputError(node.label(), "WADO-RS sent a part of type '" + type + "', not application/dicom");
    }
    const auto path = staging.nextFile();
    std::ofstream out(path, std::ios::binary);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.close();
    if (!out) throw InputError(path.string(), "cannot write a retrieved file");
    if (options.arrived) options.arrived(path);
    if (options.progress) options.progress(staging.files(), total);
  });
  detail::HttpRequest req;
  req.url = base(node) + "/studies/" + study_uid + (series_uid.empty() ? "" : "/series/" + series_uid);
  req.headers["Accept"] = "multipart/related; type=\"application/dicom\"";
  req.on_data = [&](const char* data, std::size_t size) { reader.feed(data, size); };
  detail::HttpResponse r;
  try {
    r = detail::httpRequest(node, credentials, req, options.cancel);
  } catch (const InputError& e) {
    throw InputError(e.context(), std::string(e.what()) + " (" + std::to_string(staging.files()) + " of " +
                                      (total >= 0 ? std::to_string(total) : std::string("?")) +
                                      " files had arrived; none kept)");
  }
  const std::string tally = " (" + std::to_string(staging.files()) + " of " +
                            (total >= 0 ? std::to_string(total) : std::string("?")) + " files had arrived; none kept)";
  if (r.status != 200) throw InputError(node.label(), detail::httpStatusMessage(r, "WADO-RS"));
  if (!reader.complete()) throw InputError(node.label(), "WADO-RS: the node stopped sending before the last image" + tally);
  if (staging.files() == 0) throw InputError(node.label(), "WADO-RS returned no files");
  if (total >= 0 && staging.files() < total) throw InputError(node.label(), "WADO-RS ended early" + tally);
  // A cancel that came with the last parts (the response may arrive in one read) still keeps nothing.
  options.cancel.throwIfCancelled();
  staging.commit();
  return reader.parts();
}

int webStore(const Node& node, const Credentials& credentials, const std::vector<std::filesystem::path>& files,
             const TransferOptions& options) {
  if (files.empty()) throw InputError(node.label(), "no files to send");
  // One request for all: STOW-RS to /studies accepts instances of any study.
  std::vector<std::string> bodies;
  for (const auto& f : files) {
    options.cancel.throwIfCancelled();
    bodies.push_back(readFile(f));
    if (bodies.back().size() < 132 || bodies.back().compare(128, 4, "DICM") != 0) {
      throw InputError(f.string(), "not a DICOM Part 10 file");
    }
  }
  detail::HttpRequest req;
  req.method = "POST";
  req.url = base(node) + "/studies";
  std::string contentType;
  req.body = detail::writeMultipart(bodies, "application/dicom", contentType);
  bodies.clear();
  req.headers["Content-Type"] = contentType;
  req.headers["Accept"] = "application/dicom+json";
  const auto r = detail::httpRequest(node, credentials, req, options.cancel);
  if (r.status != 200 && r.status != 202) throw InputError(node.label(), detail::httpStatusMessage(r, "STOW-RS"));
  int stored = static_cast<int>(files.size());
  try {
    const json doc = json::parse(r.body);
    const auto failed = doc.find("00081198");  // FailedSOPSequence
    if (failed != doc.end() && failed->contains("Value") && !(*failed)["Value"].empty()) {
      const auto& first = (*failed)["Value"][0];
      throw InputError(node.label(), "STOW-RS: the node refused " + std::to_string((*failed)["Value"].size()) +
                                         " of " + std::to_string(files.size()) + " files (first: SOP instance " +
                                         value(first, "00081155") + ", reason " + value(first, "00081197") + ")");
    }
    const auto ok = doc.find("00081199");  // ReferencedSOPSequence
    if (ok != doc.end() && ok->contains("Value")) stored = static_cast<int>((*ok)["Value"].size());
  } catch (const json::exception&) {
    // An empty or non-JSON answer with status 200: the node stored them and said no more.
  }
  if (options.progress) options.progress(stored, static_cast<int>(files.size()));
  return stored;
}

}  // namespace lunglens::core::pacs
